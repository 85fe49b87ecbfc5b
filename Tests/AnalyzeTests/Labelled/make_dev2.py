#!/usr/bin/env python3
"""Writes dev2.jsonl, the second dev split: combined from pieces_dev2.py only (not from the
pieces of train/dev), with its own seed and layouts: single chat turns, e-mails with a
greeting and a sign-off, calls and videos as several turns (often without punctuation, as
speech recognition writes them), advisor calls about wealth products, Chinese with English
words. `voc train --cascade-dev` chooses the embedding head's C and the cascade threshold on it.
Run: python3 Tests/AnalyzeTests/Labelled/make_dev2.py
"""
import random
import re

import pieces_dev2 as P
from labelled_set import LabelledSet
from pii import card, mobile

rng = random.Random(40417)
A, C = "agent", "customer"
WEALTH = {"product_inquiry", "redemption_withdrawal"}


def pieces(table):
    return [(c, s, t) for c, kinds in table.items() for s, texts in kinds.items() for t in texts]


def spoken(text, lang):
    if lang == "en":
        return re.sub(r"[,.!?]", "", text).lower()
    return re.sub(r"[，。？！、,.!?]", " " if rng.random() < 0.5 else "", text)


def main():
    table = {"zh": pieces(P.ZH), "en": pieces(P.EN), "mix": pieces(P.MIX)}
    items, n = LabelledSet(), 0
    while len(items) < 200:
        n += 1
        lang = rng.choices(["zh", "en", "mix"], weights=[55, 32, 13])[0]
        cat, st, text = rng.choice(table[lang])
        channel = rng.choice(["chat", "app_feedback", "email", "hotline_call", "video"])
        if cat in WEALTH and rng.random() < 0.4:
            channel = "advisor_call"
        cats, stances, texts = [cat], [st], [text]
        if rng.random() < 0.15:
            other = rng.choice([p for p in table["zh" if lang == "mix" else lang] if p[0] != cat])
            cats.append(other[0]); stances.append(other[1]); texts.append(other[2])
        pii = []
        if rng.random() < 0.12:
            value = mobile(rng) if rng.random() < 0.5 else card(rng)
            kind = "mobile" if len(value) == 11 else "bank_card"
            texts.append(("我的手机" if kind == "mobile" else "卡号是") + value if lang != "en" else
                         ("my number is " if kind == "mobile" else "the card is ") + value)
            pii.append({"type": kind, "text": value})
        zh = lang != "en"
        sep = "，" if zh else ". "
        start = rng.choice(P.ZH_START if zh else P.EN_START)
        end = rng.choice(P.ZH_END if zh else P.EN_END)
        if channel in ("hotline_call", "video", "advisor_call"):
            talk = [spoken(t, "zh" if zh else "en") if rng.random() < 0.75 else t for t in texts]
            turns = [(A, "您好这里是客服中心请问有什么可以帮您" if zh else "thank you for calling how can i help")]
            turns.append((C, (start + " " if start else "") + talk[0]))
            for t in talk[1:]:
                turns.append((A, "嗯还有别的吗" if zh else "okay anything else"))
                turns.append((C, t))
            if end:
                turns.append((A, "好的我帮您登记一下" if zh else "alright i have noted that"))
                turns.append((C, end))
        elif channel == "email":
            greeting = "您好：" if zh else "Hello,"
            sign = "此致" if zh else "Best regards"
            turns = [(C, "\n".join([greeting, sep.join(texts), end or sign]))]
        else:
            turns = [(C, sep.join(([start] if start else []) + texts + ([end] if end else [])))]
        sentiment = "negative" if "neg" in stances else "positive" if "pos" in stances else "neutral"
        item = {"id": f"d2-{n:04d}", "channel": channel,
                "businessLine": "wealth" if channel == "advisor_call" else "credit_card", "language": "en" if lang == "en" else "zh",
                "utterances": [{"speaker": s, "text": t} for s, t in turns],
                "expected": {"categories": cats, "sentiment": sentiment, "pii": pii, "facts": []}}
        items.add(item)
    items.write("dev2.jsonl", "dev2")


if __name__ == "__main__":
    main()
