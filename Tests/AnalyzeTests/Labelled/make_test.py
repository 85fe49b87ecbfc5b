#!/usr/bin/env python3
"""Writes spent-test-v1.jsonl, the first test split (measured once, then moved into training;
the test split is now test4.jsonl): combined from pieces_test.py only (written apart from
the train/dev pieces, in other words and sentence shapes), with its own seed and its own
layouts.
Run: python3 Tests/AnalyzeTests/Labelled/make_test.py
"""
import random
import re

import pieces_test as P
from labelled_set import LabelledSet
from pii import card, grouped, id_card, mobile

rng = random.Random(7331)
A, C = "agent", "customer"


def pieces(lang):
    table = P.ZH if lang == "zh" else P.EN
    return [(cat, stance, text) for cat, kinds in table.items() for stance in ("neg", "neu", "pos") for text in kinds[stance]]


def stance(stances):
    return "negative" if "neg" in stances else "positive" if "pos" in stances else "neutral"


def asr(text, lang):
    for right, heard in (P.ZH_SLIPS if lang == "zh" else P.EN_SLIPS):
        if right in text and rng.random() < 0.5:
            text = text.replace(right, heard, 1)
    if lang == "zh":
        return re.sub(r"[，。？！,.?!]", "", text)
    return re.sub(r"[,.?!]", "", text).lower()


def point(text, lang):
    return text if re.search(r"[。？！?.!]$", text) else text + ("。" if lang == "zh" else ".")


def item(number, table):
    lang = rng.choice(["zh", "en"])
    channel = rng.choice(["chat", "app_feedback", "email", "hotline_call", "video"])
    cat, st, text = rng.choice(table[lang])
    cats, stances, texts = [cat], [st], [text]
    roll = rng.random()
    if roll < 0.15:
        other = rng.choice([p for p in table[lang] if p[0] != cat])
        cats.append(other[0]); stances.append(other[1]); texts.append(other[2])
    elif roll < 0.3 and st == "neu":
        passing = P.ZH_PASSING if lang == "zh" else P.EN_PASSING
        keys = [k for k in passing if k != cat]
        texts[0] = passing[rng.choice(keys)] + texts[0]
    pii, facts = [], []
    if rng.random() < 0.12:
        fact_text, fact = rng.choice(P.FACTS_ZH if lang == "zh" else P.FACTS_EN)
        texts[0] = fact_text + texts[0]
        facts.append(fact)
    tail = []
    if rng.random() < 0.15:
        kind = rng.choice(["mobile", "bank_card", "id_card"])
        value = {"mobile": mobile, "bank_card": card, "id_card": id_card}[kind](rng)
        shown = grouped(value, sep="-") if kind == "bank_card" and rng.random() < 0.5 else value
        tail.append(({"mobile": "回电打这个号", "bank_card": "扣款的卡是", "id_card": "我身份证是"} if lang == "zh" else
                     {"mobile": "reach me on", "bank_card": "the card is", "id_card": "my ID is"})[kind] + " " + shown)
        pii.append({"type": kind, "text": shown})
    sep = "" if lang == "zh" else " "
    context = rng.choice(P.ZH_CONTEXT if lang == "zh" else P.EN_CONTEXT)
    ask = rng.choice(P.ZH_ASK if lang == "zh" else P.EN_ASK) if "neg" in stances else ""
    thanks = rng.choice(P.ZH_THANKS if lang == "zh" else P.EN_THANKS)
    parts = [point(t, lang) for t in texts] + [point(t, lang) for t in tail]
    if ask:
        parts.append(point(ask, lang))
    if channel in ("hotline_call", "video"):
        agent = P.ZH_AGENT if lang == "zh" else P.EN_AGENT
        heard = rng.random() < 0.7
        say = (lambda t: asr(t, lang)) if heard else (lambda t: t)
        turns = [(A, say(agent[0])), (C, say(context + parts[0]) if context else say(parts[0])), (A, say(agent[1]))]
        for p in parts[1:]:
            turns += [(C, say(p)), (A, say(rng.choice(agent[2:])))]
        if thanks:
            turns.append((C, say(thanks)))
    else:
        body = sep.join(([context] if context else []) + parts + ([thanks] if thanks else []))
        if channel == "email":
            body = ("各位好：" if lang == "zh" else "Hello,\n") + body + ("\n王女士" if lang == "zh" else "\nRegards, Li")
        turns = [(C, body)]
    if pii and not any(pii[0]["text"] in t for _, t in turns):
        pii = []
    return {"id": f"te-{number:04d}", "channel": channel, "businessLine": "credit_card", "language": lang,
            "utterances": [{"speaker": s, "text": t} for s, t in turns],
            "expected": {"categories": cats, "sentiment": stance(stances), "pii": pii, "facts": facts}}


def advisor(number):
    says_who, warns, promise = rng.random() < 0.65, rng.random() < 0.65, rng.random() < 0.35
    agrees = warns and rng.random() < 0.7
    turns = [(A, "王先生下午好，我是财富中心的客户经理赵敏，从业资格证号F5567。" if says_who else "王先生下午好，今天跟您聊聊这个新产品。"),
             (C, "你说说看，我想找个放一年左右的。")]
    if promise:
        turns.append((A, "这个您绝对放心，本金肯定一分不少，收益也是有保障的。" if rng.random() < 0.5 else "跟您保证，买了稳赚。"))
    if warns:
        turns.append((A, "我得提醒您，这个产品有亏损本金的可能，以前的收益不代表以后。"))
    turns.append((C, "行，这些我都听明白了，我愿意买。" if agrees else "我回去跟家里人商量一下。"))
    found = ([] if says_who else ["identity_not_stated"]) + ([] if warns else ["risk_disclosure_missing"]) + \
            (["guaranteed_return_promise"] if promise else []) + ([] if agrees else ["customer_confirmation_missing"])
    return {"id": f"te-{number:04d}", "channel": "advisor_call", "businessLine": "wealth", "language": "zh",
            "utterances": [{"speaker": s, "text": t} for s, t in turns],
            "expected": {"categories": ["product_inquiry"], "sentiment": "neutral", "pii": [], "facts": [], "compliance": found}}


def main():
    table = {"zh": pieces("zh"), "en": pieces("en")}
    items, number = LabelledSet(), 0
    while len(items) < 420:
        number += 1
        made = advisor(number) if rng.random() < 0.06 else item(number, table)
        items.add(made)
    items.write("spent-test-v1.jsonl", "test")


if __name__ == "__main__":
    main()
