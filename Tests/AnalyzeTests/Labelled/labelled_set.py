"""The items a generator script writes: one per distinct conversation, in the order made."""
import json
from pathlib import Path


class LabelledSet:
    def __init__(self):
        self.items, self._seen = [], set()

    def __len__(self):
        return len(self.items)

    def add(self, item):
        """Keeps `item` unless an earlier one has the same utterances."""
        key = json.dumps(item["utterances"], ensure_ascii=False)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(item)

    def write(self, name, label):
        """Writes the JSON lines file `name` next to the scripts."""
        with open(Path(__file__).resolve().parent / name, "w", encoding="utf-8") as out:
            for item in self.items:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(label, len(self.items))
