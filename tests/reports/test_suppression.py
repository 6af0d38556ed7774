"""Small-number suppression on hand-made tables: primary, secondary, and the iteration until stable."""

from reports.suppression import column_lines, row_lines, suppress

STAR = "*"


def test_counts_below_the_threshold_are_hidden_and_zero_is_shown():
    table = [[0], [4], [5], [9]]
    assert suppress(table, threshold=5, lines=[]) == [[0], [STAR], [5], [9]]


def test_a_lone_hidden_cell_in_a_column_with_its_total_hides_the_next_smallest():
    # Column: 3, 7, 20, total 30. Hiding 3 alone: 30 - 7 - 20 gives it back, so 7 goes too.
    table = [[3], [7], [20], [30]]
    assert suppress(table, threshold=5, lines=column_lines(4, 1)) == [[STAR], [STAR], [20], [30]]


def test_secondary_prefers_a_non_zero_category_over_a_zero_and_never_the_total_first():
    table = [[2], [0], [9], [11]]
    assert suppress(table, threshold=5, lines=column_lines(4, 1)) == [[STAR], [0], [STAR], [11]]


def test_two_hidden_cells_in_a_line_need_nothing_more():
    table = [[2], [3], [10], [15]]
    assert suppress(table, threshold=5, lines=column_lines(4, 1)) == [[STAR], [STAR], [10], [15]]


def test_secondary_suppression_repeats_across_rows_and_columns_until_stable():
    # A 2x2 table with row totals (last column) and column totals (last row).
    #        a   b   total
    # x      2   8   10
    # y      6   9   15
    # total  8  17   25
    table = [[2, 8, 10], [6, 9, 15], [8, 17, 25]]
    lines = column_lines(3, 3) + row_lines(3, 3)
    result = suppress(table, threshold=5, lines=lines)
    # 2 is primary. Row x then hides 8 (next smallest); column a hides 6; column b and row y are then
    # alone with one hidden each (8, 6), so 9 goes too. Every line now has two hidden entries or none.
    assert result == [[STAR, STAR, 10], [STAR, STAR, 15], [8, 17, 25]]
    hidden = {(r, c) for r, row in enumerate(result) for c, value in enumerate(row) if value == STAR}
    for line in lines:
        assert sum(cell in hidden for cell in line) != 1


def test_a_total_below_the_threshold_is_hidden_and_protected():
    table = [[1], [2], [3]]
    assert suppress(table, threshold=5, lines=column_lines(3, 1)) == [[STAR], [STAR], [STAR]]
