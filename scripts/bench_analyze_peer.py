#!/usr/bin/env python3
"""The Python peer of `voc bench analyze`: what a good Python team would write.

Per input line (the same JSON lines `voc analyze` reads): regex PII with the real
checks (身份证 MOD 11-2 and birth date, bank cards Luhn, mobiles with spaces/dashes,
landlines, e-mail) and redaction; jieba segmentation (once per utterance); snownlp's
naive Bayes sentiment classifier fed jieba's words directly (snownlp's own, slow
segmenter is skipped); TF-IDF keywords from the same words with jieba's IDF table and
stop words (what jieba.analyse.extract_tags computes, without segmenting twice); the
result encoded as one JSON line.

Usage: bench_analyze_peer.py FILE [--warmup N]
Prints one JSON object: {"insights": n, "seconds": s, "insights_per_second": r, "max_rss_mb": m}.
"""
import json
import re
import resource
import sys
import time

import jieba
import jieba.analyse
from snownlp.sentiment import classifier as snow
from snownlp import normal

jieba.setLogLevel(60)
jieba.initialize()
TFIDF = jieba.analyse.default_tfidf
IDF, MEDIAN_IDF = TFIDF.idf_freq, TFIDF.median_idf
STOP = TFIDF.stop_words

NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?\d(?:[ -]?\d){9,18}(?:[ -]?[Xx])?(?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
PLACEHOLDER = {"id_card": "[身份证]", "bank_card": "[bank_card]", "mobile": "[mobile]", "landline": "[landline]", "email": "[email]"}
DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def valid_id(s):
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        return False
    if not 11 <= int(s[:2]) <= 82:
        return False
    year, month, day = int(s[6:10]), int(s[10:12]), int(s[12:14])
    if not (1900 <= year <= 2026 and 1 <= month <= 12 and 1 <= day <= DAYS[month - 1]):
        return False
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(s, ID_WEIGHTS)) % 11] == s[17]


def luhn(s):
    total = 0
    for i, c in enumerate(reversed(s)):
        v = int(c)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def number_type(raw):
    s = raw.replace(" ", "").replace("-", "").upper().lstrip("+")
    if len(s) == 18 and valid_id(s):
        return "id_card"
    if not s.isdigit():
        return None
    if 16 <= len(s) <= 19 and luhn(s):
        return "bank_card"
    if len(s) == 11 and s[0] == "1" and s[1] in "3456789":
        return "mobile"
    if len(s) == 13 and s.startswith("861") and s[3] in "3456789":
        return "mobile"
    if 10 <= len(s) <= 12 and s[0] == "0" and s[1] != "0":
        return "landline"
    return None


def pii(text):
    found = [("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    for m in NUMBER.finditer(text):
        kind = number_type(m.group())
        if kind and not any(s < m.end() and m.start() < e for _, s, e in found):
            found.append((kind, m.start(), m.end()))
    found.sort(key=lambda f: f[1])
    out, pos = [], 0
    for kind, s, e in found:
        out.append(text[pos:s] + PLACEHOLDER[kind])
        pos = e
    out.append(text[pos:])
    return [{"type": k, "start": s, "end": e} for k, s, e in found], "".join(out), found


def blank(text, found):
    for _, s, e in reversed(found):
        text = text[:s] + " " + text[e:]
    return text


def keywords(words, top=8):
    freq = {}
    for w in words:
        w = w.strip()
        if len(w) < 2 or w.lower() in STOP:
            continue
        freq[w] = freq.get(w, 0.0) + 1.0
    total = sum(freq.values()) or 1.0
    scored = sorted(((f * IDF.get(w, MEDIAN_IDF) / total, w) for w, f in freq.items()), reverse=True)[:top]
    return [{"term": w, "weight": round(s, 4)} for s, w in scored]


def analyze(line):
    item = json.loads(line)
    utterances, findings, all_words = [], [], []
    for index, u in enumerate(item["utterances"]):
        spans, redacted, found = pii(u["text"])
        for f in spans:
            f["utteranceIndex"] = index
        findings += spans
        words = jieba.lcut(blank(u["text"], found))
        all_words += words
        label, prob = snow.classifier.classify(normal.filter_stop(words))
        score = prob if label == "pos" else 1 - prob
        utterances.append({"speaker": u["speaker"], "text": redacted, "sentiment": round(score * 2 - 1, 3)})
    overall = sum(u["sentiment"] for u in utterances) / max(1, len(utterances))
    return json.dumps({"sourceId": item["id"], "utterances": utterances, "pii": findings, "keywords": keywords(all_words),
                       "sentiment": overall}, ensure_ascii=False)


def main():
    path = sys.argv[1]
    warmup = int(sys.argv[sys.argv.index("--warmup") + 1]) if "--warmup" in sys.argv else 100
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    for line in lines[:warmup]:
        analyze(line)
    started = time.perf_counter()
    out = 0
    for line in lines:
        out += len(analyze(line))
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"insights": len(lines), "seconds": seconds, "insights_per_second": len(lines) / seconds,
                      "max_rss_mb": rss, "output_bytes": out}))


if __name__ == "__main__":
    main()
