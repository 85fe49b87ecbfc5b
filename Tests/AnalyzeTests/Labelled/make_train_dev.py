#!/usr/bin/env python3
"""Writes train.jsonl and dev.jsonl: items combined from the hand-written pieces of
pieces_train.py with a fixed seed. The test split is not written here (make_test.py).

Every item states its labels: categories (primary first, a secondary only where a second
reason is really in the text), sentiment (the customer's stance toward the company),
PII, profile facts and, for advisor calls, compliance findings.
Run: python3 Tests/AnalyzeTests/Labelled/make_train_dev.py
"""
import json
import random
import re
from pathlib import Path

import pieces_train as P
from pii import card, grouped, id_card, mobile

rng = random.Random(20261204)
CHANNELS = ["chat", "app_feedback", "email", "hotline_call", "video"]
A, C = "agent", "customer"


def stance_pieces(lang):
    table = P.ZH if lang == "zh" else P.EN
    out = []
    for cat, kinds in table.items():
        for stance in ("neg", "neu", "pos"):
            for text in kinds[stance]:
                out.append((cat, stance, text))
    return out


def sentiment(stances):
    if "neg" in stances:
        return "negative"
    return "positive" if "pos" in stances else "neutral"


def slip(text, lang):
    pairs = P.ZH_SLIPS if lang == "zh" else P.EN_SLIPS
    for right, heard in pairs:
        if right in text and rng.random() < 0.6:
            text = text.replace(right, heard, 1)
    return text


def transcript(text, lang):
    """Speech-recogniser style: no punctuation, fillers, slips."""
    text = slip(text, lang)
    if lang == "zh":
        text = re.sub(r"[，。？！、,.?!]", " " if rng.random() < 0.5 else "", text)
        if rng.random() < 0.5:
            text = rng.choice(P.ZH_FILLER) + text
        return text.strip()
    return re.sub(r"[,.?!:]", "", text).lower().strip()


def typo(text):
    words = text.split(" ")
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 3:
        j = rng.randrange(len(w) - 1)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def mixed(text):
    for zh, en in P.ZH_MIXED:
        if zh in text:
            return text.replace(zh, en, 1)
    return text


def end(text, lang):
    return text if re.search(r"[。？！?.!]$", text) else text + ("。" if lang == "zh" else ".")


def item(number, pieces):
    lang = rng.choice(["zh", "zh", "en"])
    channel = rng.choice(CHANNELS)
    (cat, stance, text) = rng.choice(pieces[lang])
    cats, stances = [cat], [stance]
    texts = [text]
    style = rng.random()
    if style < 0.18:
        # a second, truly present reason
        other = rng.choice([p for p in pieces[lang] if p[0] != cat])
        cats.append(other[0]); stances.append(other[1]); texts.append(other[2])
    elif style < 0.33 and stance == "neu":
        # a word of another category said in passing: not a second category
        passing = P.ZH_PASSING if lang == "zh" else P.EN_PASSING
        choices = [k for k in passing if k != cat]
        texts[0] = rng.choice(passing[rng.choice(choices)]) + texts[0]
    extras, pii, facts = [], [], []
    if rng.random() < 0.12:
        facts_list = P.FACTS_ZH if lang == "zh" else P.FACTS_EN
        fact_text, fact = rng.choice(facts_list)
        texts[0] = fact_text + texts[0]
        facts.append(fact)
    if rng.random() < 0.15:
        kind = rng.choice(["mobile", "bank_card", "id_card"])
        number_text = {"mobile": mobile, "bank_card": card, "id_card": id_card}[kind](rng)
        shown = grouped(number_text) if kind == "bank_card" and rng.random() < 0.5 else number_text
        label = {"mobile": ("我的电话是", "my phone is "), "bank_card": ("卡号", "card number "),
                 "id_card": ("身份证号", "ID number ")}[kind][0 if lang == "zh" else 1]
        extras.append(label + shown)
        pii.append({"type": kind, "text": shown})
    opener = rng.choice(P.ZH_OPEN if lang == "zh" else P.EN_OPEN)
    closer = rng.choice(P.ZH_CLOSE if lang == "zh" else P.EN_CLOSE)
    angry = rng.choice(P.ZH_ANGRY if lang == "zh" else P.EN_ANGRY) if "neg" in stances and rng.random() < 0.3 else ""
    sep = "" if lang == "zh" else " "
    body = [end(t, lang) for t in texts]
    if lang == "zh" and rng.random() < 0.12:
        body = [mixed(b) for b in body]
    if lang == "en" and rng.random() < 0.2:
        body = [typo(b) for b in body]
    body += [end(e, lang) for e in extras] + ([angry] if angry else [])
    utterances = []
    if channel in ("hotline_call", "video"):
        agent = P.ZH_AGENT if lang == "zh" else P.EN_AGENT
        speech = rng.random() < 0.6
        say = (lambda t: transcript(t, lang)) if speech else (lambda t: t)
        utterances.append((A, say(agent[0])))
        first = body[0] if not opener else opener + sep + body[0]
        utterances.append((C, say(first)))
        for b in body[1:]:
            utterances.append((A, say(rng.choice(agent[1:4]))))
            utterances.append((C, say(b)))
        utterances.append((A, say(rng.choice(agent[3:]))))
        if closer:
            utterances.append((C, say(closer)))
    else:
        if channel == "email":
            opener = "您好，" if lang == "zh" else "Dear team,"
        text = sep.join(([opener] if opener else []) + body + ([closer] if closer else []))
        if pii and pii[0]["text"] not in text:
            raise AssertionError("PII lost")
        utterances.append((C, text))
    if pii and not any(pii[0]["text"] in u[1] for u in utterances):
        pii = []  # a transcript slip touched the number's label only; the number stays
    return {"id": f"tr-{number:04d}", "channel": channel, "businessLine": "credit_card", "language": lang,
            "utterances": [{"speaker": s, "text": t} for s, t in utterances],
            "expected": {"categories": cats if len(set(cats)) == len(cats) else [cats[0]], "sentiment": sentiment(stances),
                         "pii": pii, "facts": facts}}


IDENTITY = ["您好，我是理财经理小陈，工号B2231。", "你好，我是本行的投资顾问李明，执业编号A8812。"]
DISCLOSE = ["这款产品不保本，可能亏损，过往业绩不代表未来。", "投资有风险，收益不是保证的，您要有心理准备。"]
PROMISE = ["您放心，这个稳赚不赔。", "这款是保本的，不会亏。"]
CONFIRM = ["好的，我明白了，确认购买。", "嗯，风险我清楚，我同意。"]
ASK = ["我想了解一下这款基金。", "有没有收益高一点的产品？"]
CUSTOMER_OTHER = ["那我再考虑一下。", "收益大概多少？"]


def advisor(number):
    turns, found = [], []
    has_id, discloses, promises = rng.random() < 0.7, rng.random() < 0.7, rng.random() < 0.3
    confirms = discloses and rng.random() < 0.75
    turns.append((A, rng.choice(IDENTITY) if has_id else "您好，给您介绍一下我们的新产品。"))
    turns.append((C, rng.choice(ASK)))
    if promises:
        turns.append((A, rng.choice(PROMISE)))
    if discloses:
        turns.append((A, rng.choice(DISCLOSE)))
    turns.append((C, rng.choice(CONFIRM) if confirms else rng.choice(CUSTOMER_OTHER)))
    if not has_id: found.append("identity_not_stated")
    if not discloses: found.append("risk_disclosure_missing")
    if promises: found.append("guaranteed_return_promise")
    if not confirms: found.append("customer_confirmation_missing")
    return {"id": f"tr-{number:04d}", "channel": "advisor_call", "businessLine": "wealth", "language": "zh",
            "utterances": [{"speaker": s, "text": t} for s, t in turns],
            "expected": {"categories": ["product_inquiry"], "sentiment": "neutral", "pii": [], "facts": [],
                         "compliance": found}}


def main():
    pieces = {"zh": stance_pieces("zh"), "en": stance_pieces("en")}
    items, seen, number = [], set(), 0
    while len(items) < 2100:
        number += 1
        made = advisor(number) if rng.random() < 0.05 else item(number, pieces)
        key = json.dumps(made["utterances"], ensure_ascii=False)
        if key in seen:
            continue
        seen.add(key)
        items.append(made)
    rng.shuffle(items)
    here = Path(__file__).resolve().parent
    for name, part in (("train", items[:1800]), ("dev", items[1800:])):
        with open(here / f"{name}.jsonl", "w", encoding="utf-8") as out:
            for it in part:
                out.write(json.dumps(it, ensure_ascii=False) + "\n")
        print(name, len(part))


if __name__ == "__main__":
    main()
