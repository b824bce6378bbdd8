"""What the tests of each StaticFilterSet (apps.common.filters) check: two requests share no filter."""


def assert_filters_of_their_own(primero, segundo) -> None:
    for name, filtro in primero.filters.items():
        assert filtro is not segundo.filters[name]
        assert filtro.parent is primero and segundo.filters[name].parent is segundo
