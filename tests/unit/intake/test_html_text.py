from intake.html_text import html_to_text


def test_scripts_styles_and_head_never_reach_the_text():
    result = html_to_text("<html><head><title>T</title><style>p{}</style></head><body><p>Hi</p><script>alert(1)</script></body></html>")
    assert result.text == "Hi"


def test_table_rows_become_tab_separated_lines_and_tables():
    result = html_to_text("<table><tr><th>SKU</th><th>Qty</th></tr><tr><td>A-1</td><td>5</td></tr></table>")
    assert result.text == "SKU\tQty\nA-1\t5"
    assert result.tables == [[["SKU", "Qty"], ["A-1", "5"]]]


def test_blockquotes_are_marked_as_quoted_lines():
    result = html_to_text("<div>New</div><blockquote>old<br>older</blockquote>")
    assert result.text == "New\n> old\n> older"


def test_layout_tables_around_data_tables_are_not_reported():
    html = "<table><tr><td><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table></td></tr></table>"
    assert html_to_text(html).tables == [[["a", "b"], ["1", "2"]]]


def test_entities_and_non_breaking_spaces_are_decoded():
    assert html_to_text("<p>Gr&ouml;&szlig;e&nbsp;M &amp; L</p>").text == "Größe M & L"
