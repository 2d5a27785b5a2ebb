from provenance.figures import figures, figures_conflict, hedges, negation_differs


def test_figures_are_canonical():
    assert figures("About 40,000 gallons leaked") == ["40000"]
    assert figures("$1 billion a year") == figures("$1,000,000,000 a year") == ["$1000000000"]
    assert figures("rose 3.5 percent") == ["3.5%"]
    assert figures("no figures here") == []
    assert figures("Tank 12 in 2019") == ["12", "2019"]


def test_conflict_needs_a_changed_figure_on_both_sides():
    assert figures_conflict("About 40,000 gallons leaked", "More than 400,000 gallons leaked")
    assert not figures_conflict("About 40,000 gallons leaked", "Thousands of gallons leaked")
    assert not figures_conflict("Tank 12 leaked 40,000 gallons", "40,000 gallons leaked")


def test_negation_and_hedges():
    assert negation_differs("The valve was closed.", "The valve was not closed.")
    assert not negation_differs("It was not closed.", "It wasn't closed.")
    assert hedges("The company allegedly hid the leak, which may have lasted days.") == {"allegedly", "may"}
