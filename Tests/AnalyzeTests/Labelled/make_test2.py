#!/usr/bin/env python3
"""Writes spent-test-v2.jsonl, the second test split (measured once, then moved into training;
the test split is now test4.jsonl): combined from pieces_test2.py only, written
after the training data of its time (train.jsonl, labelled.jsonl, spent-test-v1.jsonl) was
frozen, with its own seed and layouts.
Run: python3 Tests/AnalyzeTests/Labelled/make_test2.py
"""
import random
import re

import pieces_test2 as P
from labelled_set import LabelledSet
from pii import card, mobile

rng = random.Random(99173)
A, C = "agent", "customer"


def pieces(lang):
    table = P.ZH if lang == "zh" else P.EN
    return [(c, s, t) for c, kinds in table.items() for s, texts in kinds.items() for t in texts]


def main():
    table = {"zh": pieces("zh"), "en": pieces("en")}
    items, n = LabelledSet(), 0
    while len(items) < 260:
        n += 1
        lang = rng.choice(["zh", "zh", "en"])
        channel = rng.choice(["chat", "app_feedback", "email", "hotline_call", "video"])
        cat, st, text = rng.choice(table[lang])
        cats, stances, texts = [cat], [st], [text]
        if rng.random() < 0.12:
            o = rng.choice([p for p in table[lang] if p[0] != cat])
            cats.append(o[0]); stances.append(o[1]); texts.append(o[2])
        pii = []
        if rng.random() < 0.15:
            value = mobile(rng) if rng.random() < 0.5 else card(rng)
            kind = "mobile" if len(value) == 11 else "bank_card"
            texts.append(("联系电话" if kind == "mobile" else "卡号") + value if lang == "zh" else
                         ("call me at " if kind == "mobile" else "card ") + value)
            pii.append({"type": kind, "text": value})
        sep = "，" if lang == "zh" else ". "
        start = rng.choice(P.ZH_START if lang == "zh" else P.EN_START)
        end = rng.choice(P.ZH_END if lang == "zh" else P.EN_END)
        body = sep.join(([start] if start else []) + texts + ([end] if end else []))
        if channel in ("hotline_call", "video"):
            if lang == "zh" and rng.random() < 0.7:
                body = re.sub(r"[，。？！]", " ", body)
            turns = [(A, "您好请讲" if lang == "zh" else "Go ahead please"), (C, body),
                     (A, "好的我记下了" if lang == "zh" else "Noted, thank you")]
        else:
            turns = [(C, body)]
        sentiment = "negative" if "neg" in stances else "positive" if "pos" in stances else "neutral"
        item = {"id": f"t2-{n:04d}", "channel": channel, "businessLine": "credit_card", "language": lang,
                "utterances": [{"speaker": s, "text": t} for s, t in turns],
                "expected": {"categories": cats, "sentiment": sentiment, "pii": pii, "facts": []}}
        items.add(item)
    items.write("spent-test-v2.jsonl", "spent test v2")


if __name__ == "__main__":
    main()
