from iop.crisis import crisis_lines


def site(request):
    """Crisis lines for the banner on every page (evaluated lazily)."""
    return {"crisis_lines": crisis_lines}
