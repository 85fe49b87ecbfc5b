"""Valid PII numbers for the corpus writers: 身份证 (GB 11643 MOD 11-2), bank cards (Luhn), phones, landlines."""
import random


def id_card(rng: random.Random) -> str:
    region = rng.choice(["110101", "440305", "310104", "330106", "510107", "420102"])
    birth = f"{rng.randint(1950, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{region}{birth}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def card(rng: random.Random) -> str:
    prefix = rng.choice(["622202", "621700", "436742", "622848", "625907"])
    length = rng.choice([16, 19])
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(body)):
        v = int(d)
        if i % 2 == 0:
            v = v * 2 - 9 if v * 2 > 9 else v * 2
        total += v
    return body + str((10 - total % 10) % 10)


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(str(rng.randint(0, 9)) for _ in range(9))


def grouped(number: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(number[i:i + size] for i in range(0, len(number), size))


def landline(rng: random.Random) -> str:
    area = rng.choice(["010", "021", "020", "0755", "0571", "028"])
    return area + str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
