#!/usr/bin/env python3
"""Writes dev3.jsonl: combined from pieces_dev3.py only, with its own seed and layouts,
written before the model was trained on spent-test-v2.jsonl. It was the test split once
(measured once, docs/analysis.md); it now chooses settings with dev2.jsonl and is never
trained on.

Every channel: chat as several short turns, app feedback as one line (often unpunctuated),
e-mails with greeting and sign-off, hotline calls and videos as turns (mostly as a
recogniser writes them: no punctuation, fillers, slips), advisor sales calls with their
compliance findings. Chinese, English, and Chinese with English words; English typos;
profile facts (and family members' facts, which are not the customer's); valid PII.
Run: python3 Tests/AnalyzeTests/Labelled/make_dev3.py
"""
import random
import re

import pieces_dev3 as P
from labelled_set import LabelledSet
from pii import card, grouped, id_card, landline, mobile

rng = random.Random(60311)
A, C = "agent", "customer"
SIZE = 300


def table(source):
    return [(cat, st, text) for cat, kinds in source.items() for st, texts in kinds.items() for text in texts]


PIECES = {"zh": table(P.ZH), "en": table(P.EN), "mix": table(P.MIX)}


def sentiment(stances):
    return "negative" if "neg" in stances else "positive" if "pos" in stances else "neutral"


def heard(text, lang):
    """As a recogniser writes it: slips, no punctuation, a filler; English in lower case."""
    for said, wrong in (P.EN_SLIPS if lang == "en" else P.ZH_SLIPS):
        if said in text and rng.random() < 0.5:
            text = text.replace(said, wrong, 1)
    if lang == "en":
        return re.sub(r"[,.?!]", "", text).lower().strip()
    text = re.sub(r"[，。？！,.?!]", " " if rng.random() < 0.4 else "", text).strip()
    return (rng.choice(P.ZH_FILLER) + " " + text) if rng.random() < 0.4 else text


def swap_one(text, pairs):
    """One of the pairs whose first part is in text, swapped once; None when none is."""
    options = [(said, written) for said, written in pairs if said in text]
    if not options:
        return None
    said, written = rng.choice(options)
    return text.replace(said, written, 1)


def typo(text):
    return swap_one(text, P.EN_TYPOS) or text


def english_words(text):
    return swap_one(text, P.ZH_ENGLISH)


def after(said, text, lang):
    """`said` put before `text`, whose first word loses its capital in English (not "I")."""
    if lang != "en":
        return said + text
    if not text.startswith(("I ", "I'")):
        text = text[0].lower() + text[1:]
    return said.rstrip() + " " + text


def pii_sentence(lang):
    kind = rng.choice(["mobile", "mobile", "bank_card", "id_card", "landline", "email"])
    if kind == "email":
        value = f"{rng.choice(['chen.jing', 'lily_w', 'tom.haines', 'wangfang', 'k.liu'])}{rng.randint(1, 99)}@{rng.choice(['example.com', 'mail.example.cn'])}"
    else:
        value = {"mobile": mobile, "bank_card": card, "id_card": id_card, "landline": landline}[kind](rng)
    shown = value
    if kind == "bank_card" and rng.random() < 0.5:
        shown = grouped(value, sep=rng.choice([" ", "-"]))
    if kind == "landline" and rng.random() < 0.5:
        cut = 3 if value.startswith(("01", "02")) else 4
        shown = value[:cut] + "-" + value[cut:]
    said = {"zh": {"mobile": "有事打我手机", "bank_card": "出问题的卡号是", "id_card": "我的身份证号码", "landline": "家里座机",
                   "email": "结果发我邮箱"},
            "en": {"mobile": "best number for me is", "bank_card": "the card in question is", "id_card": "my ID number is",
                   "landline": "my office line is", "email": "email me at"}}["en" if lang == "en" else "zh"][kind]
    return said, shown, {"type": kind, "text": shown}


def customer_item(number):
    lang = rng.choices(["zh", "mix", "en"], weights=[52, 9, 39])[0]
    base = "en" if lang == "en" else "zh"
    channel = rng.choice(["chat", "app_feedback", "email", "hotline_call", "video"])
    cat, st, text = rng.choice(PIECES["mix"] if lang == "mix" and rng.random() < 0.5 else PIECES[base])
    if lang == "mix" and not re.search(r"[A-Za-z]", text):
        text = english_words(text) or text
        if not re.search(r"[A-Za-z]", text):
            cat, st, text = rng.choice(PIECES["mix"])
    cats, stances, texts = [cat], [st], [text]
    roll = rng.random()
    if roll < 0.13:
        others = [p for p in PIECES[base] if p[0] != cat and {p[1], st} != {"pos", "neg"}]
        other = rng.choice(others)
        cats.append(other[0]); stances.append(other[1]); texts.append(other[2])
    elif roll < 0.28 and st == "neu":
        asides = P.EN_ASIDE if base == "en" else P.ZH_ASIDE
        keys = [k for k in asides if k != cat]
        texts[0] = after(asides[rng.choice(keys)], texts[0], base)
    facts = []
    roll = rng.random()
    if roll < 0.15:
        said, fact = rng.choice(P.FACTS_EN if base == "en" else P.FACTS_ZH)
        texts[0] = after(said, texts[0], base)
        facts.append(fact)
    elif roll < 0.19:
        said = rng.choice(P.NOT_FACTS_EN if base == "en" else P.NOT_FACTS_ZH)
        texts[0] = after(said, texts[0], base)
    if base == "en" and rng.random() < 0.3:
        texts = [typo(t) for t in texts]
    pii, tail = [], None
    if rng.random() < 0.18:
        said, shown, found = pii_sentence(base)
        tail = (said, shown)
        pii.append(found)
    cross = rng.choice(P.EN_CROSS if base == "en" else P.ZH_CROSS) if "neg" in stances and rng.random() < 0.3 else ""
    opener = rng.choice(P.EN_OPEN if base == "en" else P.ZH_OPEN)
    closer = rng.choice(P.EN_CLOSE if base == "en" else P.ZH_CLOSE)
    stop = "." if base == "en" else "。"
    comma = ", " if base == "en" else "，"

    def sentence(t):
        if re.search(r"[。？！?.!]$", t):
            return t
        asks = base == "en" and re.match(r"(how|what|is|can|does|do|who|why)\b", t.split(", ")[-1], re.I)
        return t + ("?" if asks else stop)

    turns = []
    if channel in ("hotline_call", "video"):
        agent = {"hotline_call": P.EN_CALL_AGENT if base == "en" else P.ZH_CALL_AGENT,
                 "video": P.EN_VIDEO_AGENT if base == "en" else P.ZH_VIDEO_AGENT}[channel]
        as_heard = rng.random() < (0.75 if channel == "hotline_call" else 0.6)
        say = (lambda t: heard(t, base)) if as_heard else sentence
        turns.append((A, say(agent[0])))
        turns.append((C, say(after(opener + comma, texts[0], base) if opener else texts[0])))
        for t in texts[1:]:
            turns.append((A, say(agent[1])))
            turns.append((C, say(t)))
        if tail:
            turns.append((C, (heard(tail[0], base) if as_heard else tail[0]) + " " + tail[1]))
        if cross:
            turns.append((C, say(cross)))
        turns.append((A, say(rng.choice(agent[1:]))))
        if closer:
            turns.append((C, say(closer)))
    elif channel == "chat":
        agent = P.EN_CHAT_AGENT if base == "en" else P.ZH_CHAT_AGENT
        bare = rng.random() < 0.5  # typed without end marks
        say = (lambda t: t) if bare else sentence
        if opener:
            turns += [(C, opener), (A, agent[0])]
        for i, t in enumerate(texts):
            turns.append((C, say(t)))
            if i < len(texts) - 1 and rng.random() < 0.5:
                turns.append((A, agent[1]))
        if tail:
            turns.append((C, tail[0] + " " + tail[1]))
        if cross:
            turns.append((C, cross))
        if closer and rng.random() < 0.6:
            turns += [(A, agent[2]), (C, closer)]
    else:
        parts = [sentence(t) for t in texts]
        if tail:
            parts.append((tail[0][0].upper() + tail[0][1:] + " " if base == "en" else tail[0] + "：") + tail[1] + stop)
        if cross:
            parts.append(sentence(cross))
        join = " " if base == "en" else ""
        if channel == "email":
            greet, sign = P.EN_EMAIL if base == "en" else P.ZH_EMAIL
            body = greet + join.join(parts) + ("\n" + closer if closer else "") + sign
        else:
            parts[0] = after(opener + comma, parts[0], base) if opener else parts[0]
            body = join.join(parts)
            if base != "en" and rng.random() < 0.4:
                body = re.sub(r"[，。]", " ", body).strip()
        turns.append((C, body))
    if pii:
        assert any(pii[0]["text"] in t for _, t in turns), turns
    return {"id": f"t3-{number:04d}", "channel": channel, "businessLine": "credit_card", "language": base,
            "utterances": [{"speaker": s, "text": t} for s, t in turns],
            "expected": {"categories": cats, "sentiment": sentiment(stances), "pii": pii, "facts": facts}}


def advisor_item(number):
    lang = "en" if rng.random() < 0.25 else "zh"
    say_table = P.ADVISOR_EN if lang == "en" else P.ADVISOR_ZH
    as_heard = lang == "zh" and rng.random() < 0.5
    say = (lambda t: heard(t, lang)) if as_heard else (lambda t: t)
    says_who, late_who = rng.random() < 0.6, rng.random() < 0.35
    warns, promises = rng.random() < 0.65, rng.random() < 0.35
    agrees = warns and rng.random() < 0.7
    facts = []
    turns = [(A, rng.choice(say_table["identity"] if says_who else say_table["greeting"]))]
    if rng.random() < 0.3:
        turns.append((C, rng.choice(say_table["early_ok"])))
    if rng.random() < 0.3:
        asked, fact = rng.choice(say_table["ask_fact"])
        facts.append(fact)
    else:
        asked = rng.choice(say_table["ask"])
    turns.append((C, asked))
    turns.append((A, rng.choice(say_table["pitch"])))
    if not says_who and late_who:
        turns.append((A, rng.choice(say_table["late_identity"])))
    middle = ([rng.choice(say_table["disclose"])] if warns else []) + ([rng.choice(say_table["promise"])] if promises else [])
    rng.shuffle(middle)
    turns += [(A, m) for m in middle]
    turns.append((C, rng.choice(say_table["confirm"] if agrees else say_table["other"])))
    found = ([] if says_who else ["identity_not_stated"]) + ([] if warns else ["risk_disclosure_missing"]) + \
            (["guaranteed_return_promise"] if promises else []) + ([] if agrees else ["customer_confirmation_missing"])
    return {"id": f"t3-{number:04d}", "channel": "advisor_call", "businessLine": "wealth", "language": lang,
            "utterances": [{"speaker": s, "text": say(t)} for s, t in turns],
            "expected": {"categories": ["product_inquiry"], "sentiment": "neutral", "pii": [], "facts": facts,
                         "compliance": found}}


def main():
    items, number = LabelledSet(), 0
    while len(items) < SIZE:
        number += 1
        items.add(advisor_item(number) if rng.random() < 0.1 else customer_item(number))
    items.write("dev3.jsonl", "dev3")


if __name__ == "__main__":
    main()
