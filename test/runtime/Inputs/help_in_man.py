# help_in_man.py: every option `pcapf --help` lists (read on stdin) must be
# documented in the man page given as argument, where roff writes each
# hyphen as \-. Keeps the two in agreement when an option is added.
import re
import sys

help_text = sys.stdin.read()
man = open(sys.argv[1], encoding="utf-8").read()
options = sorted(set(re.findall(r"(?:^|[\s\[|,])(--?[a-zA-Z][a-z-]*)", help_text)))
missing = []
for opt in options:
    roff = re.escape(opt.replace("-", "\\-"))
    if not re.search(roff + r"(?![a-zA-Z])", man):
        missing.append(opt)
for opt in missing:
    print("not in the man page:", opt)
print("options checked:", " ".join(options))
sys.exit(1 if missing else 0)
