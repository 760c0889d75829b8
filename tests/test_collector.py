import gc
import threading

from motcua.collector import collector_paused


def test_the_collector_resumes_after_the_last_pause_only():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still open
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pauses_in_threads_overlap_and_the_collector_resumes_at_the_end():
    inside, release = threading.Barrier(3), threading.Event()

    def evaluate():
        with collector_paused():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=evaluate) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()  # both threads are inside their pause
    assert not gc.isenabled()
    release.set()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_an_error_inside_still_resumes_the_collector():
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()
