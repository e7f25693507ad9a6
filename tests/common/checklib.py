"""checklib.py — the tally the Python checks share: each check counts, a
failure prints one FAIL line, and done() prints the 'NAME: N passed, N
failed' line tests/run.sh adds up."""


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")
        return cond

    def done(self, name):
        print(f"{name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
