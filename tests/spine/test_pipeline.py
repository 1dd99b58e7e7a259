import pytest

from marsad.data import Article, Rejection
from marsad.errors import ConfigError
from marsad.pipeline import Pipeline, stage


@stage("a", provides={"x"})
def st_a(article):
    return article.with_layers(x=[])


@stage("b", requires={"x"}, provides={"y"})
def st_b(article):
    if "boom" in article.text:
        raise RuntimeError("stage bug")
    return article


def test_requirements_checked_at_build():
    with pytest.raises(ConfigError) as e:
        Pipeline([st_b, st_a])
    assert "requires ['x']" in str(e.value)


def test_exception_becomes_rejection_with_raw_input():
    p = Pipeline([st_a, st_b])
    arts = [Article.new("ok"), Article.new("boom here"), Article.new("fine")]
    out = list(p.run(arts))
    assert len(out) == 3  # in == out + rejected
    rej = [o for o in out if isinstance(o, Rejection)]
    assert len(rej) == 1 and rej[0].stage == "b" and rej[0].code == "E_INTERNAL" and rej[0].raw == "boom here"
    assert p.stats["b"].rejected == 1 and p.stats["b"].out == 2


def test_time_limit_rejects_slow_document():
    import time

    @stage("slow")
    def slow(article):
        time.sleep(5)
        return article

    p = Pipeline([slow], time_limit=0.2)
    out = p.process(Article.new("x"))
    assert isinstance(out, Rejection) and out.code == "E_TIMEOUT"


def test_time_limit_leaves_no_alarm_behind(monkeypatch):
    # The alarm re-arms itself until a raise reaches the stage; one landing while the block is being left (a loaded
    # machine) used to escape the rejection handling with a traceback, and leave the alarm armed for the caller.
    import signal
    import time

    import marsad.pipeline as pl

    monkeypatch.setattr(pl, "_REARM_S", 1e-3)  # a swallowed alarm fires again every millisecond

    @stage("stubborn")
    def stubborn(article):
        t0 = time.monotonic()
        while time.monotonic() - t0 < 0.3:  # swallows every timeout (as a library's broad except would)
            try:
                sum(range(1000))
            except pl.DocumentTimeout:
                pass
        raise pl.DocumentTimeout()

    before = signal.getsignal(signal.SIGALRM)
    p = Pipeline([stubborn], time_limit=0.05)
    for _ in range(20):
        out = p.process(Article.new("x"))
        assert isinstance(out, Rejection) and out.code == "E_TIMEOUT" and out.raw == "x"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_a_timeout_being_handled_is_not_raised_again_into_its_handling(monkeypatch):
    # The re-armed alarm used to raise a second DocumentTimeout while the first one was still propagating, into
    # whatever ran then (a gc callback of a collection the unwinding started, where it is printed as unraisable).
    # While a timeout is being handled the alarm only re-arms, a bounded number of times.
    import signal

    import marsad.pipeline as pl

    monkeypatch.setattr(pl, "_REARM_S", 60.0)  # no real alarm during the test
    limit = pl._AlarmLimit(60.0)
    limit.__enter__()
    try:
        try:
            raise pl.DocumentTimeout()
        except pl.DocumentTimeout:
            for _ in range(pl._HOLD_MAX):
                limit._raise(signal.SIGALRM, None)  # held: no second raise while the first is handled
            with pytest.raises(pl.DocumentTimeout):
                limit._raise(signal.SIGALRM, None)  # ... but not forever: slow work in an except is still cut
        with pytest.raises(pl.DocumentTimeout):
            limit._raise(signal.SIGALRM, None)  # outside any handling it raises at once
    finally:
        limit.close()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
