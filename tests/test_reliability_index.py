"""Provides the index of RELIABILITY.md's test table: each row T01-T43 and the tests for it.

The table below is read by the tests in this file: every row must list at least one
test, every listed test must exist, and each must carry its row's label in its docstring,
in the comments or decorators right above its ``def`` (``grep -rn T07 tests`` finds it).
A row whose test is deleted, renamed or loses its label fails here. "xfail" marks a test
that states the row's expectation and fails today (the reason is in the test).
Parts of a row that cannot be automated are explained in the test file named.
"""

# ruff: noqa: E501  (the table names whole test ids, one per line, so grep finds them whole)
# RELIABILITY.md test table -> tests
# T01  tests/store/test_crash.py::test_kill_9_during_a_burst_of_saves_loses_nothing_acknowledged
# T02  tests/test_tmux.py::test_kill_9_loses_at_most_the_debounce_window
#      tests/test_tmux.py::test_kill_9_with_a_scribe_connected_is_recovered_by_the_restart
#      tests/app/test_live.py::test_a_session_that_died_is_reported_on_restart
# T03  tests/test_tmux.py::test_sigterm_saves_what_was_being_typed_and_exits_0
#      tests/test_tmux.py::test_terminal_closed_sighup_saves_pending_text_and_exits
#      tests/test_tmux.py::test_sigterm_saves_a_why_typed_in_the_open_prompt
#      tests/test_tmux_terminal.py::test_sigint_saves_what_was_being_typed_and_exits_0
#      tests/test_tmux_terminal.py::test_ctrl_c_key_saves_and_exits_0
#      tests/app/test_factors.py::test_termination_signal_path_saves_the_prompt_without_asking
#      tests/app/test_factors.py::test_termination_signal_path_prints_invalid_text_instead_of_asking
# T04  tests/app/test_live.py::test_disk_full_keeps_the_edit_in_memory
#      tests/app/test_live.py::test_disk_full_reason_is_kept_while_later_edits_queue
# T05  tests/app/test_live.py::test_read_only_database_shows_a_banner_and_refuses_edits
#      tests/store/test_opening.py::test_opened_read_only_on_request_refuses_every_edit
#      tests/store/test_opening.py::test_a_file_we_may_not_write_opens_read_only_with_a_warning
#      tests/store/test_opening.py::test_a_chmod_read_only_file_opens_read_only
#      tests/cli/test_empty_db.py::test_an_empty_file_that_cannot_be_written_says_why
# T06  tests/store/test_opening.py::test_a_corrupt_page_is_found_at_open_and_never_written
#      tests/store/test_deferred_check.py::test_damage_found_in_the_background_makes_it_read_only_and_untouched
#      tests/cli/test_cli.py::test_corrupt_database_is_refused_and_not_written
#      tests/app/test_live.py::test_a_damaged_file_found_after_start_is_reported_in_sentences
#      tests/app/test_live.py::test_edits_kept_when_the_check_finds_damage_are_not_dropped
# T07  tests/store/test_opening.py::test_a_file_that_is_not_sqlite_is_refused_untouched
#      tests/store/test_opening.py::test_another_applications_sqlite_file_is_refused_untouched
#      tests/cli/test_cli.py::test_not_sqlite_file_is_refused_untouched
#      tests/cli/test_cli.py::test_someone_elses_sqlite_file_is_refused_untouched
# T08  tests/store/test_concurrency.py::test_backups_taken_during_writes_are_whole
# T09  tests/store/test_opening.py::test_network_filesystems_are_warned_about
#      tests/store/test_opening.py::test_the_longest_mount_point_wins_and_prefixes_must_be_whole_directories
#      tests/store/test_opening.py::test_a_mount_point_with_a_space
#      tests/store/test_opening.py::test_opening_on_a_network_filesystem_warns
#      tests/app/test_network_filesystem.py::test_the_app_warns_at_start_on_a_network_filesystem
#      tests/app/test_network_filesystem.py::test_no_warning_on_a_local_disk
#      not automated: a real NFS/SMB/9p/WSL mount (reason in tests/app/test_network_filesystem.py)
# T10  tests/store/test_migrations.py::test_a_failing_migration_is_rolled_back_and_stays_pending
#      tests/store/test_migrations.py::test_a_failing_later_migration_keeps_the_earlier_ones
#      tests/store/test_migrations.py::test_a_file_from_a_newer_pmtui_opens_read_only
# T11  tests/app/test_live.py::test_other_terminal_edit_appears_without_a_key
#      tests/app/test_live.py::test_two_apps_on_one_file_see_each_other_and_meet_the_conflict_dialog
#      tests/app/test_live.py::test_home_list_follows_the_other_terminal
#      tests/store/test_concurrency.py::test_data_version_changes_only_for_the_other_sessions_commits
# T12  tests/app/test_live.py::test_same_field_conflict_keep_mine
#      tests/app/test_live.py::test_same_field_conflict_take_theirs
#      tests/app/test_live.py::test_two_apps_on_one_file_see_each_other_and_meet_the_conflict_dialog
#      tests/app/test_stale_edits.py::test_factor_description_edited_in_both_terminals_meets_the_dialog
#      tests/app/test_stale_edits.py::test_why_answer_edited_in_both_terminals_meets_the_dialog
#      tests/store/test_edits.py::test_a_stale_version_raises_and_changes_nothing
# T13  tests/app/test_live.py::test_lock_held_elsewhere_keeps_the_edit_and_saves_later
#      tests/app/test_live.py::test_lock_wait_is_on_screen_at_80_columns_and_announced_once
#      tests/store/test_concurrency.py::test_a_held_write_lock_makes_a_save_wait_then_give_up
# T14  tests/store/test_concurrency.py::test_two_writers_never_lose_an_acknowledged_edit
# T15  tests/store/test_concurrency.py::test_a_long_reader_lets_the_wal_grow_and_it_shrinks_after
# T16  tests/test_two_writers.py::TestTwoWriters
# T17  tests/app/test_live.py::test_item_deleted_elsewhere_is_offered_back
#      tests/app/test_stale_edits.py::test_factor_deleted_elsewhere_while_edited_is_offered_back
#      tests/store/test_edits.py::test_editing_a_row_the_other_session_deleted
# T18  tests/app/test_reliability_table.py::test_markup_text_from_the_database_renders_literally_on_every_screen
#      tests/app/test_hostile.py::test_every_screen_shows_hostile_text_literally
#      tests/app/test_actions.py::test_user_text_is_shown_literally
#      tests/app/test_factors.py::test_user_text_is_shown_literally
#      tests/app/test_impact.py::test_user_text_is_shown_literally
#      tests/app/test_lessons.py::test_user_text_is_shown_literally
#      tests/app/test_past.py::test_user_text_is_shown_literally
#      tests/app/test_review.py::test_user_text_is_shown_literally
#      tests/app/test_timeline.py::test_user_text_is_shown_literally
#      tests/app/test_search_screen.py::test_user_text_renders_literally
#      tests/app/test_dashboard.py::test_dashboard_at_80x24_and_hostile_text
# T19  tests/app/test_hostile.py::test_every_screen_shows_hostile_text_literally
# T20  tests/test_tmux_terminal.py::test_escape_sequences_in_stored_text_never_reach_the_terminal
#      tests/test_tmux_terminal.py::test_a_paste_of_c1_and_bidi_controls_is_cleaned
#      tests/app/test_hostile.py::test_the_model_keeps_no_escape_character
#      tests/app/test_hostile.py::test_every_screen_shows_hostile_text_literally
#      tests/app/test_hostile.py::test_a_megabyte_paste_into_a_one_line_field_is_cleaned_and_bounded
#      tests/domain/test_models.py::test_control_characters_never_reach_the_model
#      tests/export/test_yaml_import.py::test_escaped_control_characters_are_cleaned
#      not automated: a terminal paste holding ESC (reason in tests/test_tmux_terminal.py)
# T21  tests/app/test_reliability_table.py::test_starting_in_a_tiny_terminal
#      tests/app/test_reliability_table.py::test_any_sequence_of_sizes_shows_the_notice_and_keeps_the_data
#      tests/app/test_hostile.py::test_any_terminal_size_is_survived
# T22  tests/test_tmux_terminal.py::test_a_storm_of_100_resizes_ends_on_a_correct_frame
#      tests/app/test_hostile.py::test_a_storm_of_resizes_ends_on_a_correct_frame
#      tests/app/test_reliability_table.py::test_every_resize_repaints_the_whole_terminal
# T23  tests/app/test_crash.py::test_unhandled_exception_keeps_saved_edits_and_logs_without_locals
#      tests/app/test_crash.py::test_internal_error_exits_1_and_names_the_log
# T24  tests/app/test_crash.py::test_failed_worker_is_a_notification_not_a_crash
# T25  tests/app/test_hostile.py::test_a_megabyte_paste_into_a_one_line_field_is_cleaned_and_bounded
#      tests/app/test_large_timeline.py::test_ten_thousand_timeline_rows_move_within_budget_and_save
#      tests/app/test_timeline.py::test_a_ten_thousand_entry_timeline_opens_moves_and_takes_edits
#      tests/app/test_large_timeline.py::test_ten_thousand_timeline_rows_an_edit_within_budget
#      tests/domain/test_incremental_check.py::test_incremental_check_equals_check_after_every_edit
#      tests/test_session_saved_rows.py::TestSavedRows
#      tests/app/test_findings_list.py::test_a_long_list_shows_the_first_findings_and_counts_the_rest
#      tests/store/test_search_text_fields.py::test_a_row_edit_rebuilds_the_search_text_exactly_when_it_changes_it
#      tests/export/test_yaml_import.py::test_size_cap_applies_before_parsing
#      tests/export/test_json_io.py::test_size_cap
# T26  tests/export/test_roundtrip.py::test_yaml_round_trip
#      tests/export/test_roundtrip.py::test_json_round_trip
#      tests/export/test_roundtrip.py::test_each_hostile_string_round_trips_in_every_position
#      tests/export/test_markdown.py::test_hostile_strings_read_back_literally
#      tests/store/test_roundtrip.py::test_hostile_text_survives_every_text_column
#      tests/app/test_hostile.py::test_every_screen_shows_hostile_text_literally
# T27  tests/store/test_search.py::test_no_typed_text_breaks_the_search
#      tests/store/test_search.py::test_hyphenated_and_symbol_words_match_literally
#      tests/app/test_search_screen.py::test_hostile_queries_typed_never_crash
#      tests/app/test_search_screen.py::test_keystrokes_of_a_hostile_query
#      tests/app/test_past.py::test_hostile_queries_never_crash
#      tests/cli/test_knowledge_cli.py::test_any_typed_query_is_valid
# T28  tests/store/test_search.py::test_an_empty_query_lists_everything_newest_first
#      tests/store/test_search.py::test_no_typed_text_breaks_the_search
# T29  tests/store/test_search.py::test_fuzzed_queries_never_raise
#      tests/app/test_search_screen.py::test_fuzzed_search_box
#      tests/app/test_search_screen.py::test_fuzzed_prompts_render
# T30  tests/app/test_search_screen.py::test_advanced_syntax_error_is_inline_and_keeps_results
#      tests/store/test_search.py::test_advanced_syntax_passes_through_and_bad_syntax_is_reported
#      tests/cli/test_knowledge_cli.py::test_bad_advanced_syntax_is_one_line
# T31  tests/app/test_review.py::test_copy_markdown_names_the_method_that_worked
# T32  tests/app/test_reliability_table.py::test_a_copy_over_100_kb_warns_and_offers_export_and_is_whole
# T33  tests/export/test_yaml_import.py::test_python_tags_are_refused_without_side_effects
#      tests/export/test_yaml_import.py::test_tags_the_safe_loader_knows_but_a_postmortem_never_uses
# T34  tests/export/test_yaml_import.py::test_alias_bomb_is_refused_fast_with_flat_memory
#      tests/export/test_yaml_import.py::test_alias_alone_is_refused
# T35  tests/export/test_yaml_import.py::test_size_cap_applies_before_parsing
#      tests/export/test_yaml_import.py::test_size_cap_on_file_read
#      tests/export/test_yaml_import.py::test_deep_nesting_is_too_deeply_nested
#      tests/export/test_yaml_import.py::test_recursion_error_is_reported
#      tests/export/test_json_io.py::test_deep_nesting
#      tests/app/test_import_conflicts.py::test_a_file_too_deeply_nested_is_a_notification_not_a_crash
# T36  tests/export/test_yaml_import.py::test_yaml_coercions_are_refused_with_a_quoting_hint
#      tests/export/test_yaml_import.py::test_an_octal_looking_number_is_explained_and_a_plain_one_is_not
#      tests/export/test_yaml_import.py::test_duplicate_keys_are_refused
#      tests/export/test_yaml_import.py::test_nested_duplicate_keys_are_refused
#      tests/domain/test_models.py::test_yes_no_and_number_coercions_are_refused_with_a_hint
# T37  tests/export/test_yaml_import.py::test_every_validation_error_is_listed_as_a_path
#      tests/export/test_json_io.py::test_every_validation_error_is_a_path
#      tests/cli/test_cli_errors.py::test_import_of_a_bad_file_creates_no_database
#      tests/cli/test_cli.py::test_malformed_yaml_lists_the_problem_and_writes_nothing
# T38  tests/export/test_yaml_import.py::test_bom_and_crlf_are_accepted
#      tests/export/test_yaml_import.py::test_non_utf8_is_a_clear_error
#      tests/export/test_yaml_import.py::test_utf16_is_refused_as_binary
#      tests/export/test_yaml_import.py::test_binary_file_is_refused
#      tests/export/test_json_io.py::test_bom_crlf_and_bad_encodings
# T39  tests/app/test_import_conflicts.py::test_each_choice_for_an_existing_id_does_exactly_that
#      tests/app/test_import_conflicts.py::test_two_conflicts_are_asked_one_at_a_time
#      tests/cli/test_cli.py::test_import_of_an_existing_id_that_differs_needs_a_choice
# T40  tests/export/test_html.py::test_html_has_no_active_content_whatever_the_text
#      tests/export/test_html.py::test_xss_payloads_in_every_field
#      tests/export/test_review_report.py::test_hostile_text_is_inert_in_html
# T41  tests/export/test_files.py::test_hostile_ids_stay_inside_the_directory
#      tests/export/test_files.py::test_export_filename_is_always_a_safe_component
#      tests/export/test_files.py::test_export_filename_examples
#      tests/export/test_files.py::test_safe_target_refuses_anything_but_a_plain_name
# T42  tests/export/test_files.py::test_existing_target_is_refused_without_overwrite
#      tests/export/test_files.py::test_planted_symlink_is_not_followed
#      tests/export/test_files.py::test_dangling_symlink_is_not_followed
#      tests/export/test_files.py::test_kill_during_export_leaves_old_or_new_never_truncated
# T43  tests/export/test_markdown.py::test_markdown_structure_survives_hostile_text
#      tests/export/test_markdown.py::test_hostile_strings_read_back_literally
#      tests/export/test_roundtrip.py::test_yaml_round_trip
#      tests/export/test_roundtrip.py::test_json_round_trip

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

HERE = Path(__file__)
ROOT = HERE.parents[1]
ROWS = [f"T{n:02d}" for n in range(1, 44)]
_ROW = re.compile(r"^# (T\d\d)  (.*)$")
_MORE = re.compile(r"^#      (.*)$")
_TEST = re.compile(r"^(tests/\S+\.py)::(test_\w+|Test\w+)")


def index() -> dict[str, list[tuple[str, str]]]:
    """Row -> [(file, test)] as the comment table above lists them."""
    table: dict[str, list[tuple[str, str]]] = {}
    row = None
    for line in HERE.read_text(encoding="utf-8").splitlines():
        if match := _ROW.match(line):
            row, rest = match.groups()
            table.setdefault(row, [])
        elif row is not None and (match := _MORE.match(line)):
            rest = match.group(1)
        else:
            if row is not None and not line.startswith("#"):
                break  # the table ends at the first line that is not a comment
            continue
        if test := _TEST.match(rest):
            table[row].append((test.group(1), test.group(2)))
    return table


def labelled_text(path: Path, name: str) -> str | None:
    """A test's docstring, decorators and the comment lines right above them; None if absent."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):  # a stateful test: ``TestX = Machine.TestCase``
            node = ast.FunctionDef(name=name, lineno=node.lineno, decorator_list=[], body=[])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            above = []
            i = first - 1
            while i >= 0 and lines[i].lstrip().startswith("#"):
                above.append(lines[i])
                i -= 1
            return "\n".join([*above, *lines[first : node.lineno], ast.get_docstring(node) or ""])
    return None


def test_every_row_of_the_table_has_a_test() -> None:
    table = index()
    assert sorted(table) == ROWS
    assert [row for row in ROWS if not table[row]] == []


@pytest.mark.parametrize("row", ROWS)
def test_each_listed_test_exists_and_carries_its_label(row: str) -> None:
    problems = []
    for file, name in index()[row]:
        path = ROOT / file
        if not path.is_file():
            problems.append(f"{file}: no such file")
            continue
        text = labelled_text(path, name)
        if text is None:
            problems.append(f"{file}::{name}: no such test")
        elif not re.search(rf"\b{row}\b", text):
            problems.append(f"{file}::{name}: no {row} in its docstring or the lines above it")
    assert problems == []


def test_every_label_is_found_by_grep_outside_this_index() -> None:
    """What ``grep -rn T07 tests`` shows: each row, in a test file other than this one."""
    found: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if path != HERE:
            found.update(re.findall(r"\bT\d\d\b", path.read_text(encoding="utf-8")))
    assert [row for row in ROWS if row not in found] == []
