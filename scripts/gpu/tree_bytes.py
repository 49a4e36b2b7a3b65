"""Bytes of the files git tracks in this checkout, read from .git/index (no git command): what every device call
sends besides its carry. Untracked files that git does not ignore travel too; split_parts.sh leaves a margin for them."""
import os
import struct
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
index = os.path.join(root, ".git", "index")
if not os.path.isfile(index):  # a worktree: .git is a file naming the real git dir
    with open(os.path.join(root, ".git")) as f:
        index = os.path.join(f.read().split("gitdir:", 1)[1].strip(), "index")
data = open(index, "rb").read()
sig, version, count = struct.unpack(">4sII", data[:12])
if sig != b"DIRC" or version not in (2, 3):
    sys.exit(f"tree_bytes.py: {index} is index version {version}; give BUDGET_BYTES by hand")
offset, total = 12, 0
for _ in range(count):
    flags = struct.unpack(">H", data[offset + 60:offset + 62])[0]
    start = offset + 62 + (2 if version == 3 and flags & 0x4000 else 0)
    end = data.index(b"\0", start)
    path = os.path.join(root, data[start:end].decode())
    total += os.path.getsize(path) if os.path.isfile(path) else struct.unpack(">I", data[offset + 36:offset + 40])[0]
    offset += (end - offset + 8) // 8 * 8
print(total)
