"""Every rule of shared DOMAIN.md sections 1, 3, 4 and 5, and the tests that check it (issue 11).

For a clinician auditing ptcli: each row is a rule id (section.short-name), the rule in one
line, and the pytest node ids of the tests that fail when the rule breaks. A test is listed
only when it really checks the rule (a test that merely mentions it is not). Parametrised
tests are listed without their brackets: every case counts.

Rules the code does not keep yet are listed in BROKEN: their tests are marked
``xfail(strict=True)`` in tests/test_rule_gaps.py, fail today, and must be unmarked when the
code is fixed.
"""

from __future__ import annotations

import ast
from functools import cache

from tests.conftest import ROOT

GATE = "tests/test_gate.py"
RULES_ = "tests/test_engine_rules.py"
PROPS = "tests/test_engine_properties.py"
ANSWERS = "tests/test_safety_answers.py"
SAFETY = "tests/test_safety_and_plan.py"
CEIL = "tests/test_ceilings.py"
STORY = "tests/test_patient_story.py"
ROUTINE = "tests/test_routine.py"
GUIDED = "tests/test_guided_session.py"
WAYS = "tests/test_ways_out.py"
ICS = "tests/test_ics.py"
GAPS = "tests/test_rule_gaps.py"
TREAT = "tests/test_treatments.py"


def t(path: str, *names: str) -> list[str]:
    return [f"{path}::{name}" for name in names]


RULES: dict[str, tuple[str, list[str]]] = {
    # ------------------------------------------------------------------ 1. Safety gate
    "1.emergency-items": (
        "The screen asks each of the six emergency items (saddle numbness, bladder, bowel, "
        "genital sensation/sexual function, both legs, weakness in both legs or fast "
        "worsening) explicitly as a yes/no question, as new or worse.",
        t(SAFETY, "test_the_screen_asks_every_item_of_the_issue")
        + t(SAFETY, "test_interactive_screen_asks_each_question_and_records_the_answers")
        + t(ANSWERS, "test_weakness_in_both_legs_is_an_emergency_one_leg_slowly_is_urgent"),
    ),
    "1.emergency-blocks": (
        "Any active emergency flag: no routine at all; the user is told to seek emergency "
        "care now (also DOMAIN 4's first row).",
        t(RULES_, "test_an_emergency_flag_blocks_and_names_the_symptom")
        + t(PROPS, "test_an_active_emergency_flag_always_blocks")
        + t(SAFETY, "test_an_emergency_flag_blocks_the_routine_until_cleared_with_a_note")
        + t(RULES_, "test_a_pin_never_overrides_an_emergency_flag")
        + t(STORY, "test_the_emergency_blocks_the_routine_until_it_is_cleared"),
    ),
    "1.urgent-items": (
        "The urgent items: fever/unwell, cancer history or weight loss, immunosuppression/"
        "steroids/IV drugs, significant trauma, constant or severe night pain, worsening "
        "weakness in one leg.",
        t(SAFETY, "test_the_screen_asks_every_item_of_the_issue")
        + t(ANSWERS, "test_weakness_in_both_legs_is_an_emergency_one_leg_slowly_is_urgent"),
    ),
    "1.urgent-freeze": (
        "An urgent flag freezes progression, advises contacting a clinician soon, and keeps "
        "to gentle exercises (also DOMAIN 4's second row).",
        t(RULES_, "test_an_urgent_flag_gives_the_amber_programme_without_progression")
        + t(PROPS, "test_an_urgent_flag_freezes_progression_and_keeps_out_of_green")
        + t(SAFETY, "test_an_urgent_flag_from_a_pain_entry_keeps_to_the_gentle_programme")
        + t(RULES_, "test_a_pin_does_not_step_up_while_an_urgent_flag_is_active")
        + t(STORY, "test_the_fever_keeps_the_programme_gentle_until_the_gp_has_seen_sam"),
    ),
    "1.lasting-facts": (
        "Lasting facts (cancer history, long-term steroids, immunosuppression) are asked once, "
        "then as 'anything new?'; a clearance lasts until the fact is reported as new.",
        t(ANSWERS, "test_a_lasting_fact_once_reported_is_asked_as_anything_new")
        + t(ANSWERS, "test_anything_new_no_keeps_a_cleared_lasting_fact_cleared"),
    ),
    "1.flag-until-seen-to": (
        "A flag stays active until the user records that it has been seen to (date and "
        "note); a later 'no' does not clear it.",
        t(SAFETY, "test_an_emergency_flag_blocks_the_routine_until_cleared_with_a_note")
        + t(RULES_, "test_a_flag_from_a_partial_screen_blocks_and_a_later_no_does_not_clear_it")
        + t(RULES_, "test_a_cleared_flag_no_longer_blocks"),
    ),
    "1.block-explained": (
        "Every block is explained in plain words and the exit is never silent (message, "
        "panel, printout, calendar).",
        t(RULES_, "test_an_emergency_flag_blocks_and_names_the_symptom")
        + t(ANSWERS, "test_screen_with_an_emergency_yes_stops_for_safety")
        + t(WAYS, "test_a_blocked_routine_in_markdown_shows_no_band_and_the_emergency_first")
        + t(WAYS, "test_a_blocked_handout_puts_the_emergency_first_and_once")
        + t(ICS, "test_a_blocked_routine_gives_one_all_day_event_with_the_emergency_message"),
    ),
    "1.time-reader-zone": (
        "A record's day is its instant in the reader's local zone, never its own offset's "
        "date; moving every offset while keeping the instant changes nothing.",
        t(GATE, "test_moving_every_offset_while_keeping_the_instant_changes_nothing")
        + t(GATE, "test_an_emergency_logged_in_auckland_is_active_in_london"),
    ),
    "1.clearance-names-reports": (
        "A clearance names the reports it saw and clears only those; any other report, "
        "whatever its time or device, keeps the flag active, and devices converge.",
        t(ANSWERS, "test_a_clearance_names_every_report_it_clears")
        + t(ANSWERS, "test_a_report_dated_before_the_clearance_but_made_after_it_keeps_the_flag")
        + t(ANSWERS, "test_a_report_from_another_device_survives_a_later_clearance_both_ways")
        + t(ANSWERS, "test_flags_match_reports_by_id_whatever_the_order_or_time")
        + t(RULES_, "test_a_flag_reported_again_after_its_clearance_blocks_again")
        + t(ANSWERS, "test_flag_clear_refuses_a_time_before_a_report_and_writes_nothing"),
    ),
    "1.clearance-not-future": (
        "Clearances are never dated in the future.",
        t(ANSWERS, "test_flag_clear_refuses_the_future_even_a_few_minutes_ahead"),
    ),
    "1.answers-as-given": (
        "An emergency 'yes' is saved and its advice shown the moment it is answered, even "
        "if the rest of the questions never come.",
        t(ANSWERS, "test_a_piped_screen_keeps_an_emergency_yes_when_input_ends")
        + t(ANSWERS, "test_the_screen_goes_on_after_an_emergency_yes")
        + t(ANSWERS, "test_the_guided_check_in_keeps_an_emergency_yes_when_input_ends")
        + t(ANSWERS, "test_on_a_terminal_the_advice_comes_at_once_and_ctrl_d_keeps_the_yes"),
    ),
    "1.exit-3": (
        "The emergency panel is a safety stop, not an error: its own exit code 3.",
        t(ANSWERS, "test_screen_with_an_emergency_yes_stops_for_safety")
        + t(ANSWERS, "test_screen_stops_while_an_earlier_emergency_flag_is_active")
        + t(ANSWERS, "test_pain_log_with_an_emergency_flag_stops_for_safety")
        + t(ANSWERS, "test_session_start_stops_before_asking_anything_while_a_flag_is_active")
        + t(GUIDED, "test_an_emergency_answer_at_the_check_in_stops_before_any_exercise"),
    ),
    "1.before-any-screen-gentle": (
        "Until each of the six emergency questions has been answered (across partial "
        "screens), only the gentle (amber) programme, and the questions come first.",
        t(GATE, "test_no_routine_beyond_the_gentle_one_before_the_emergency_questions")
        + t(
            GAPS,
            "test_partial_screens_that_answer_every_emergency_question_open_the_green_programme",
        ),
    ),
    "1.side-both-asks": (
        "A profile changed to 'both legs' asks the both-legs question.",
        t(GATE, "test_a_profile_with_both_legs_asks_the_both_legs_question"),
    ),
    "1.one-gate": (
        "Every way an exercise reaches the patient (routine, named guided session, plan pin, "
        "printout, calendar, session log) passes the same gate.",
        t(GATE, "test_no_path_offers_what_the_gate_refuses_or_more_than_its_dose")
        + t(GATE, "test_named_guided_exercises_pass_the_gate")
        + t(GATE, "test_named_exercises_the_day_after_one_spread_pain_are_refused")
        + t(GATE, "test_session_log_records_a_refused_exercise_and_names_the_rule")
        + t(GUIDED, "test_a_named_exercise_not_for_todays_band_is_refused_after_the_check_in")
        + t(RULES_, "test_a_pin_never_overrides_the_red_band")
        + t(SAFETY, "test_safety_wins_over_the_plan"),
    ),
    "1.day-dose-at-most-band": (
        "What is led or scheduled for a day gets at most that day's band dose.",
        t(GATE, "test_a_named_exercise_is_led_at_the_red_dose")
        + t(GATE, "test_no_path_offers_what_the_gate_refuses_or_more_than_its_dose"),
    ),
    "1.printout-for-weeks": (
        "A printout for weeks shows the programme the gate allows on a good day (never what "
        "it refuses for safety), marks what today's band or a stop rule pauses, and gives "
        "the bad-day rules in words.",
        t(GAPS, "test_a_printout_for_weeks_on_a_red_day_shows_the_good_day_programme_paused")
        + t(
            "tests/test_printable.py",
            "test_golden_programme_for_weeks",
            "test_the_pdfs_read_back",
        ),
    ),
    # ------------------------------------------------------------------ 3. McKenzie (MDT)
    "3.centralization-good": (
        "Centralization (the furthest symptom retreating toward the spine) is good, even "
        "when central back pain briefly rises.",
        t(RULES_, "test_centralizing_or_central_back_pain_is_not_spreading")
        + t(ROUTINE, "test_new_central_back_pain_is_not_spreading")
        + t(ROUTINE, "test_centralizing_or_unchanged_sessions_leave_the_routine_alone")
        + t(PROPS, "test_spreading_is_judged_only_past_the_back_and_against_a_baseline"),
    ),
    "3.peripheralization-bad": (
        "Peripheralization (symptoms further down the leg) is bad even when intensity falls.",
        t(GAPS, "test_spreading_is_bad_even_when_the_pain_falls")
        + t(RULES_, "test_peripheralization_drops_the_exercise_and_harder_levels_and_alerts"),
    ),
    "3.extent-scale": (
        "Symptom extent scale none < central back < one-sided back/buttock < thigh < calf "
        "< foot, logged with pain entries and after each McKenzie set.",
        t(GAPS, "test_the_symptom_extent_scale_runs_from_none_to_the_foot")
        + t(GUIDED, "test_pain_spreading_after_a_mckenzie_exercise_stops_its_direction_at_once"),
    ),
    "3.m2-stop-rule": (
        "An exercise that peripheralized is dropped for the day and the next two.",
        t(RULES_, "test_a_peripheralized_exercise_stays_out_that_day_and_the_next_two")
        + t(ROUTINE, "test_a_peripheralized_exercise_stays_out_for_three_days")
        + t(STORY, "test_an_exercise_that_sent_pain_down_the_leg_is_out_for_three_days")
        + t(RULES_, "test_a_pin_never_overrides_peripheralization"),
    ),
    "3.m2-harder-same-direction": (
        "With it, every harder exercise in the same direction is dropped (its chain's "
        "higher levels, and its direction).",
        t(RULES_, "test_peripheralization_drops_the_exercise_and_harder_levels_and_alerts")
        + t(PROPS, "test_a_peripheralized_exercise_and_its_harder_levels_stay_out_that_day")
        + t(ROUTINE, "test_spreading_rules_out_every_exercise_in_that_direction")
        + t(RULES_, "test_a_neutral_exercise_that_spread_symptoms_takes_out_only_its_chain")
        + t(GUIDED, "test_pain_spreading_after_a_mckenzie_exercise_stops_its_direction_at_once"),
    ),
    "3.m2-fallback": (
        "Fall back to the chain's first level, or to neutral exercises and walking.",
        t(RULES_, "test_peripheralization_drops_the_exercise_and_harder_levels_and_alerts")
        + t(PROPS, "test_a_session_that_spread_pain_is_found")
        + t(
            ROUTINE,
            "test_an_exercise_that_sent_pain_down_the_leg_is_left_out_with_its_harder_levels",
        )
        + t(STORY, "test_an_exercise_that_sent_pain_down_the_leg_is_out_for_three_days"),
    ),
    "3.m2-flag-therapist": (
        "A peripheralization is flagged for the therapist, on every way out.",
        t(RULES_, "test_peripheralization_drops_the_exercise_and_harder_levels_and_alerts")
        + t(WAYS, "test_a_peripheralization_caution_is_in_every_event"),
    ),
    "3.baseline-24h": (
        "The baseline is the extent recorded nearest before the session within 24 h (the "
        "guided session asks for it at check-in).",
        t(GAPS, "test_the_baseline_is_the_extent_nearest_before_the_session_within_24_hours")
        + t(ROUTINE, "test_an_earlier_session_is_the_baseline_after_the_first_set")
        + t(GUIDED, "test_pain_spreading_after_a_mckenzie_exercise_stops_its_direction_at_once"),
    ),
    "3.no-baseline-asks": (
        "Without a baseline, 'session log' asks for it on a terminal.",
        t(
            GATE,
            "test_session_log_asks_the_pain_before_when_nothing_in_24_hours_says_it",
            "test_session_log_without_an_answer_counts_a_calf_after_as_spread",
        ),
    ),
    "3.no-baseline-calf-foot": (
        "Without a baseline (and no terminal), an extent after at calf or foot counts as spread.",
        t(GATE, "test_without_a_baseline_a_spread_to_the_calf_counts")
        + t(GAPS, "test_without_a_baseline_only_the_calf_or_foot_counts_as_spread"),
    ),
    "3.side-level": (
        "A one-sided back (level 2) can be logged, so central pain moving to one side is seen.",
        t(GAPS, "test_central_back_pain_moving_to_one_side_is_spreading"),
    ),
    "3.spreading-mornings": (
        "Morning extents moving further down the leg over 2+ days freeze progression and "
        "raise a caution for the therapist.",
        t(GATE, "test_mornings_moving_down_the_leg_freeze_progression_and_name_the_days"),
    ),
    "3.directional-preference": (
        "With an extension preference, flexion-biased exercises (knees to chest, pelvic tilt, "
        "flexion in lying/sitting, hip hinge) are left out until cleared; and the reverse.",
        t(RULES_, "test_directional_preference_leaves_out_the_opposite_direction")
        + t(SAFETY, "test_preference_flexion_leaves_extension_out")
        + t(
            GAPS,
            "test_every_flexion_biased_exercise_domain_names_is_left_out_with_an_extension_preference",
        )
        + t(PROPS, "test_every_exercise_exists_and_is_allowed_for_the_profile_and_band")
        + t(GATE, "test_preference_not_assessed_is_said_so")
        + t(RULES_, "test_a_pin_overrides_the_directional_preference"),
    ),
    "3.mckenzie-dose": (
        "McKenzie dose: 10 repetitions a session, every 2-3 hours while awake (6-8 a day).",
        t(GAPS, "test_mckenzie_repetitions_are_10_a_session_6_to_8_times_a_day")
        + t(ICS, "test_the_mckenzie_exercise_is_due_as_often_as_its_dose_at_the_documented_times"),
    ),
    "3.side-glides-prescribed": (
        "Side-glides only when a therapist prescribed them (in the prescribed direction).",
        t(GAPS, "test_side_glides_only_when_a_therapist_prescribed_them")
        + t(RULES_, "test_a_pin_overrides_therapist_only"),
    ),
    "3.extension-chain": (
        "Extension chain: prone lying (2-5 min) -> on elbows (2-5 min) -> partial press-up "
        "(10) -> full press-up (10) -> with overpressure (therapist only); standing "
        "extension substitutes for the press-ups.",
        t(GAPS, "test_the_mckenzie_chains_are_domain_3s")
        + t(RULES_, "test_two_easy_settled_sessions_at_one_dose_progress_one_step")
        + t(STORY, "test_weeks_1_to_4_step_the_mckenzie_exercise_up_the_extension_chain")
        + t(RULES_, "test_a_pin_overrides_therapist_only"),
    ),
    "3.extension-chain-regress-first-level": (
        "On worsening, a McKenzie chain regresses to its first level (pinned ones too).",
        t(RULES_, "test_mckenzie_regression_goes_back_to_the_first_level_of_the_chain")
        + t(RULES_, "test_mckenzie_flexion_chain_also_regresses_to_its_first_level")
        + t(
            RULES_,
            "test_a_pinned_exercise_done_below_its_range_does_not_get_harder_after_a_bad_session",
        )
        + t(STORY, "test_a_flare_day_steps_every_exercise_down"),
    ),
    "3.flexion-chain": (
        "Flexion chain: flexion in lying -> in sitting -> in standing.",
        t(GAPS, "test_the_mckenzie_chains_are_domain_3s")
        + t(RULES_, "test_mckenzie_flexion_chain_also_regresses_to_its_first_level"),
    ),
    # ------------------------------------------------------------------ 4. Pain monitoring
    "4.extent-overrides-intensity": (
        "For nerve-root pain the symptom-extent rule (M2) always overrides intensity.",
        t(GAPS, "test_spreading_is_bad_even_when_the_pain_falls")
        + t(RULES_, "test_a_pin_never_overrides_peripheralization"),
    ),
    "4.flare-regress": (
        "Pain during > 5, not settled by next morning, or morning pain >= 2 above the 7-day "
        "baseline: regress one level or cut volume 30-50 %.",
        t(RULES_, "test_pain_after_over_5_takes_one_set_off")
        + t(RULES_, "test_pain_after_over_5_at_one_set_cuts_the_volume_by_30_to_50_percent")
        + t(RULES_, "test_pain_not_settled_by_the_next_morning_regresses")
        + t(RULES_, "test_morning_pain_2_points_above_the_7_day_baseline_regresses_every_chain")
        + t(RULES_, "test_a_pinned_exercise_does_not_get_harder_after_a_too_painful_session")
        + t(STORY, "test_a_flare_day_steps_every_exercise_down"),
    ),
    "4.acceptable-repeat": (
        "Pain 4-5 and settled by morning: repeat the same dose.",
        t(RULES_, "test_pain_after_of_exactly_5_is_acceptable_and_repeats")
        + t(RULES_, "test_pain_4_to_5_after_and_settled_repeats_the_dose")
        + t(RULES_, "test_pain_back_to_the_level_before_the_session_is_settled"),
    ),
    "4.easy-progress": (
        "Pain <= 3, settled, no spreading, two sessions in a row: progress one step.",
        t(RULES_, "test_two_easy_settled_sessions_at_one_dose_progress_one_step")
        + t(RULES_, "test_progression_needs_two_easy_sessions_in_a_row_at_one_dose")
        + t(RULES_, "test_a_session_that_spread_symptoms_does_not_count_towards_progression")
        + t(RULES_, "test_the_first_of_the_two_sessions_must_have_settled_too")
        + t(RULES_, "test_a_pinned_dose_is_kept_and_never_progresses"),
    ),
    "4.worsening-week": (
        "7-day mean morning pain above the previous week's: no progression this week.",
        t(RULES_, "test_a_week_of_higher_morning_pain_freezes_progression")
        + t(RULES_, "test_a_week_of_equal_morning_pain_lets_progression_through")
        + t(RULES_, "test_a_week_needs_3_mornings_to_compare")
        + t(PROPS, "test_no_progression_in_a_week_whose_morning_pain_is_above_the_last")
        + t(STORY, "test_nothing_progresses_when_pain_is_up_or_a_flag_is_active"),
    ),
    "4.progress-step-order": (
        "A step up: repetitions to the top of the range, then a set (at most 3), then the "
        "next level of the chain; a regression is the reverse.",
        t(RULES_, "test_two_easy_settled_sessions_at_one_dose_progress_one_step")
        + t(RULES_, "test_adding_a_set_does_not_lower_the_volume")
        + t(RULES_, "test_no_more_than_3_sets_and_no_step_past_the_top_of_a_one_level_chain")
        + t(RULES_, "test_a_new_set_never_goes_below_the_range"),
    ),
    "4.external-load": (
        "External load: +2-10 % once the user does 1-2 repetitions more than the target.",
        t(GAPS, "test_a_session_can_record_its_external_load"),
    ),
    "4.band-thresholds": (
        "Bands of today's pain: green 0-3, amber 4-6, red 7-10.",
        t(GAPS, "test_the_bands_are_green_0_to_3_amber_4_to_6_red_7_to_10")
        + t(ROUTINE, "test_the_band_of_the_latest_pain_decides_the_programme"),
    ),
    "4.green-full": (
        "Green: the full programme, with progression.",
        t(ROUTINE, "test_the_band_of_the_latest_pain_decides_the_programme")
        + t(RULES_, "test_two_easy_settled_sessions_at_one_dose_progress_one_step"),
    ),
    "4.amber-maintain": (
        "Amber: maintain (no progression); low-load isometrics, relief positions, nerve "
        "sliders, walking.",
        t(RULES_, "test_amber_band_never_progresses")
        + t(ROUTINE, "test_the_band_of_the_latest_pain_decides_the_programme"),
    ),
    "4.red-programme": (
        "Red: relief positions, gentle isometrics, short walks, pool if available.",
        t(RULES_, "test_red_band_gives_the_lowest_doses_and_no_isotonic_work")
        + t(RULES_, "test_a_stated_red_pain_gives_the_same_gentle_programme")
        + t(ROUTINE, "test_pool_exercises_only_with_pool_access_and_then_in_every_band"),
    ),
    "4.no-isotonic-in-red": (
        "Red: no loaded isotonic work, whatever the catalogue or the plan says.",
        t(RULES_, "test_red_band_gives_the_lowest_doses_and_no_isotonic_work")
        + t(PROPS, "test_every_exercise_exists_and_is_allowed_for_the_profile_and_band")
        + t(GATE, "test_named_guided_exercises_pass_the_gate")
        + t(GATE, "test_no_path_offers_what_the_gate_refuses_or_more_than_its_dose")
        + t(SAFETY, "test_safety_wins_over_the_plan")
        + t(CEIL, "test_check_refuses_a_chain_that_mixes_categories"),
    ),
    "4.band-worst-of-today": (
        "The day's band is the worst pain entry or check-in of today (a better score later "
        "never lifts it), else yesterday's last; never pain after an exercise or a check-out.",
        t(GATE, "test_the_band_is_the_worst_entry_of_the_day")
        + t(ROUTINE, "test_the_band_of_the_latest_pain_decides_the_programme")
        + t(GAPS, "test_with_no_pain_today_the_band_is_yesterdays_last_entry")
        + t(GAPS, "test_pain_after_an_exercise_never_sets_the_band")
        + t(STORY, "test_the_band_follows_the_morning_pain"),
    ),
    "4.doses-fixed-safety-at-once": (
        "Doses of the day do not change as you log (progression reads sessions before "
        "today); safety does, at once: a flag, a spread, a worse pain entry.",
        t(GAPS, "test_doses_of_the_day_stay_as_it_began_and_safety_changes_at_once")
        + t(GATE, "test_without_a_baseline_a_spread_to_the_calf_counts"),
    ),
    "4.two-easy-sessions-7-days": (
        "The two easy sessions must both lie in the last 7 days.",
        t(GAPS, "test_the_two_easy_sessions_must_both_lie_in_the_last_7_days"),
    ),
    "4.level-not-endorsed": (
        "A level never prescribed (the patient jumped ahead) is not endorsed: the chain "
        "continues from the highest prescribed level.",
        t(GAPS, "test_a_level_the_patient_jumped_to_is_not_endorsed"),
    ),
    "4.step-down-30-50": (
        "A dose step down within a level removes 30-50 % of the volume (sets x reps x hold).",
        t(RULES_, "test_pain_after_over_5_at_one_set_cuts_the_volume_by_30_to_50_percent")
        + t(RULES_, "test_morning_pain_2_points_above_the_7_day_baseline_regresses_every_chain")
        + t(GAPS, "test_a_step_down_within_a_level_removes_30_to_50_percent_where_the_range_allows")
        + t(GAPS, "test_a_too_painful_curl_up_of_7_reps_steps_down_by_at_least_30_percent")
        + t(GAPS, "test_a_step_down_near_the_bottom_of_a_one_level_range_goes_to_its_lowest_dose"),
    ),
    "4.red-lowest-dose": (
        "In red each exercise takes the lowest dose of its range (never above a pin's).",
        t(RULES_, "test_red_band_gives_the_lowest_doses_and_no_isotonic_work")
        + t(ROUTINE, "test_red_gives_the_lowest_dose_of_each_range")
        + t(GATE, "test_a_named_exercise_is_led_at_the_red_dose")
        + t(RULES_, "test_red_never_makes_a_pinned_dose_harder_than_green")
        + t(STORY, "test_every_routine_keeps_the_safety_rules"),
    ),
    "4.minutes-5-a-week": (
        "Walking and pool minutes rise by at most 5 minutes a week.",
        t(GAPS, "test_walking_minutes_rise_by_at_most_5_a_week"),
    ),
    "4.restart-after-14-days": (
        "After 14 days without an exercise, its chain restarts at the first level.",
        t(GAPS, "test_after_14_days_without_an_exercise_its_chain_restarts_at_the_first_level"),
    ),
    # ------------------------------------------------------------------ 5. Dosage norms
    "5.isometric-doses": (
        "Isometric: curl-up, side bridge, bird dog 10 s holds x about 6; bridge hold 8-10 s "
        "x 8-10; pelvic tilt 5-10 s x 10.",
        t(GAPS, "test_the_dose_norms_by_category"),
    ),
    "5.isotonic-doses": (
        "Isotonic: beginners 1-3 sets of 8-12, 2-3 non-consecutive days a week.",
        t(GAPS, "test_isotonic_beginners_do_1_to_3_sets_of_8_to_12_on_2_to_3_days_a_week"),
    ),
    "5.isotonic-3-days-not-consecutive": (
        "Loaded isotonic strengthening at most 3 days a week, never on consecutive days.",
        t(RULES_, "test_strengthening_is_never_on_consecutive_days")
        + t(RULES_, "test_strengthening_at_most_3_days_in_any_7")
        + t(RULES_, "test_following_the_routine_for_four_weeks_keeps_the_days_a_week")
        + t(STORY, "test_isotonic_work_is_never_on_consecutive_days")
        + t(ICS, "test_strengthening_days_are_weekly_and_never_two_days_running_at_3_a_week")
        + t(CEIL, "test_problems_name_each_limit_and_accept_what_is_within"),
    ),
    "5.isometric-may-be-daily": (
        "Isometric endurance work such as the McGill exercises may be daily.",
        t(GAPS, "test_isometric_endurance_work_may_be_daily")
        + t(CEIL, "test_the_defaults_are_domain_section_5"),
    ),
    "5.pool-access": (
        "Pool exercise is only offered when the user has pool access.",
        t(ROUTINE, "test_pool_exercises_only_with_pool_access_and_then_in_every_band")
        + t(GATE, "test_named_guided_exercises_pass_the_gate")
        + t(PROPS, "test_every_exercise_exists_and_is_allowed_for_the_profile_and_band")
        + t(TREAT, "test_swimming_is_gated_as_pool_work")
        + t(TREAT, "test_a_pinned_swim_takes_the_one_pool_slot_and_only_with_pool_access"),
    ),
    "5.pool-contraindication-fever": (
        "No pool with a fever (the contraindication the screen asks).",
        t(GAPS, "test_pool_work_is_refused_with_a_fever_and_returns_when_it_is_cleared")
        + t(TREAT, "test_swimming_is_gated_as_pool_work"),
    ),
    "5.pool-contraindications-said": (
        "Not with open wounds, skin infection, fever, incontinence, uncontrolled epilepsy or "
        "diabetes, heart or breathing problems, chlorine allergy; a therapy pool 33-36 C, "
        "deep-water running 27-30 C.",
        t(GAPS, "test_every_pool_exercise_names_each_contraindication_and_its_temperature"),
    ),
    "5.pool-doses": (
        "Deep-water running 20 minutes, 3 times a week.",
        t(GAPS, "test_the_pool_trial_doses"),
    ),
    "5.sliders-before-tensioners": (
        "Neural mobilisation: sliders before tensioners; 2-3 sets of 10 a day.",
        t(GAPS, "test_sliders_come_before_the_tensioner_in_the_nerve_chain")
        + t(GAPS, "test_the_dose_norms_by_category")
        + t(GATE, "test_named_guided_exercises_pass_the_gate"),
    ),
    "5.tensioner-minimal-symptoms": (
        "Tensioners only with minimal symptoms: pain <= 3, no further than the thigh and no "
        "spreading over 3 days, no weakness or numbness, no flare after sliders in a week.",
        t(GAPS, "test_minimal_symptoms_as_domain_5_defines_them")
        + t(GATE, "test_named_guided_exercises_pass_the_gate")
        + t(CEIL, "test_the_slump_tensioner_needs_minimal_symptoms"),
    ),
    "5.stretch-doses": (
        "Stretches: knee-to-chest 20-30 s x 3; figure-4 (piriformis) 30 s x 3.",
        t(GAPS, "test_the_dose_norms_by_category")
        + t(RULES_, "test_directional_preference_leaves_out_the_opposite_direction"),
    ),
    "5.ceilings": (
        "Dose ceilings: sets 5, reps 30, isometric hold 60 s, McKenzie lying 300 s, walking "
        "60 min, pool 45 min, 10 (McKenzie) / 3 times a day, 7 days a week.",
        t(CEIL, "test_the_defaults_are_domain_section_5")
        + t(CEIL, "test_limits_pick_the_category_keys")
        + t(CEIL, "test_problems_name_each_limit_and_accept_what_is_within")
        + t(CEIL, "test_the_shipped_catalogue_is_within_the_default_ceilings")
        + t(GATE, "test_no_path_offers_what_the_gate_refuses_or_more_than_its_dose"),
    ),
    "5.ceilings-catalogue-block": (
        "A catalogue 'ceilings:' block may change them, up to a hard cap in the code.",
        t(CEIL, "test_a_ceilings_block_changes_only_what_it_names")
        + t(CEIL, "test_a_ceilings_block_cannot_pass_the_hard_cap_or_hold_nonsense")
        + t(CEIL, "test_no_ceilings_block_gets_past_the_hard_cap")
        + t(CEIL, "test_a_ceilings_block_within_the_hard_cap_is_accepted_and_used")
        + t(CEIL, "test_a_ceilings_block_beyond_the_hard_cap_is_refused")
        + t(CEIL, "test_a_lowered_ceiling_holds_the_entries_to_it"),
    ),
    "5.ceilings-refused": (
        "A catalogue entry or a therapist's pin beyond the ceilings is refused.",
        t(CEIL, "test_check_refuses_a_600_minute_walk")
        + t(CEIL, "test_check_refuses_10_sets_of_100_one_hour_holds")
        + t(CEIL, "test_check_refuses_a_range_that_could_climb_above_a_ceiling")
        + t(CEIL, "test_check_refuses_times_and_days_above_their_ceilings")
        + t(CEIL, "test_plan_set_refuses_a_600_minute_walk_and_writes_nothing")
        + t(CEIL, "test_plan_set_refuses_each_dose_above_its_ceiling")
        + t(CEIL, "test_plan_set_accepts_a_dose_at_its_ceiling"),
    ),
    "5.massage-ceiling": (
        "Massage: 2 minutes a region, once a day.",
        t(GAPS, "test_massage_has_its_ceiling_of_2_minutes_a_region_once_a_day")
        + t(TREAT, "test_a_pin_above_the_massage_ceiling_is_held_to_2_minutes_once_a_day")
        + t(TREAT, "test_the_massage_ceiling_can_be_lowered_but_not_raised_past_once_a_day")
        + t(TREAT, "test_massage_and_pool_work_keep_to_their_gates_and_slots"),
    ),
}

# Rules the code breaks today: each test named here is xfail(strict=True) in test_rule_gaps.py.
BROKEN: dict[str, list[str]] = {
    "4.external-load": t(GAPS, "test_a_session_can_record_its_external_load"),
}


# ----------------------------------------------------------------------------- the checks


@cache
def _tests(path: str) -> dict[str, ast.FunctionDef]:
    """The test functions of one file by node id tail ("name" or "Class::name")."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    found: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name.startswith("test"):
                    found[f"{node.name}::{member.name}"] = member
    return found


def _function(node_id: str) -> ast.FunctionDef | None:
    path, _, name = node_id.partition("::")
    if not (ROOT / path).is_file():
        return None
    return _tests(path).get(name.split("[", 1)[0])


def _strict_xfail(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        text = ast.unparse(decorator)
        if text.startswith("pytest.mark.xfail(") and "strict=True" in text:
            return True
    return False


def test_every_test_named_in_the_table_exists() -> None:
    missing = [
        (rule, node_id)
        for rule, (_, node_ids) in RULES.items()
        for node_id in node_ids
        if _function(node_id) is None
    ]
    assert missing == []


def test_every_rule_has_a_statement_and_at_least_one_test() -> None:
    assert len(RULES) >= 60
    for rule, (statement, node_ids) in RULES.items():
        section = rule.split(".", 1)[0]
        assert section in {"1", "3", "4", "5"}, rule
        assert statement.strip() and len(statement) <= 300, rule
        assert node_ids, rule
        assert len(set(node_ids)) == len(node_ids), rule


def test_every_section_is_covered() -> None:
    assert {rule.split(".", 1)[0] for rule in RULES} == {"1", "3", "4", "5"}


def test_every_gap_test_is_in_the_table() -> None:
    """A test written for a rule with no test is named in the table."""
    listed = {node_id.split("[", 1)[0] for _, ids in RULES.values() for node_id in ids}
    written = {f"{GAPS}::{name}" for name in _tests(GAPS)}
    assert written - listed == set()


def test_the_broken_rules_are_in_the_table_with_strict_xfail_tests() -> None:
    xfailed = {
        f"{GAPS}::{name}" for name, function in _tests(GAPS).items() if _strict_xfail(function)
    }
    named = {node_id for ids in BROKEN.values() for node_id in ids}
    assert named == xfailed  # every strict xfail is a known breach, and the reverse
    for rule, node_ids in BROKEN.items():
        assert rule in RULES, rule
        assert set(node_ids) <= set(RULES[rule][1]), rule


def test_an_id_that_does_not_exist_is_caught() -> None:
    assert _function(f"{GATE}::test_no_such_test") is None
    assert _function("tests/no_such_file.py::test_x") is None
    assert _function(f"{RULES_}::test_a_cleared_flag_no_longer_blocks") is not None
    assert _function("tests/test_store.py::TestContract::test_an_empty_store_reads_as_empty")
    assert _function(f"{GAPS}::test_the_dose_norms_by_category[bird-dog]") is not None


def test_the_table_prints_for_an_auditor() -> None:
    """``python -c 'from tests.test_rules_table import table; print(table())'``"""
    text = table()
    assert text.count("\n") >= len(RULES)
    assert "1.emergency-blocks" in text and "(not kept yet)" in text


def table() -> str:
    """The table as plain text, one rule a block."""
    lines: list[str] = []
    for rule, (statement, node_ids) in RULES.items():
        mark = " (not kept yet)" if rule in BROKEN else ""
        lines.append(f"{rule}{mark}: {statement}")
        lines.extend(f"    {node_id}" for node_id in node_ids)
    return "\n".join(lines) + "\n"
