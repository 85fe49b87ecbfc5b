@testable import Analyze
import Foundation
import Testing
import VOCSchema

/// The shortcuts that make analyze fast must not change what it finds.
@Suite("Fast paths give the same results")
struct SpeedPathTests {
    static func labelledTexts(_ names: [String] = ["labelled.jsonl", "heldout.jsonl"]) throws -> [String] {
        var texts: [String] = []
        for name in names {
            let url = try #require(Bundle.module.url(forResource: "Labelled", withExtension: nil)?.appendingPathComponent(name))
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let item = try JSONCoding.decoder().decode(Evaluation.Item.self, from: Data(line.utf8))
                texts += item.input.utterances.map(\.text)
            }
        }
        return texts
    }

    @Test("clause by clause through the cache, jieba gives the words it gives for the whole text")
    func clauseCache() throws {
        _ = Fixture.shared
        let texts = try Self.labelledTexts() + ["年费扣了两次，，再不处理！！我就投诉。", "，开头是标点", "结尾是标点。", "", "A型号，B超？OK"]
        for text in texts {
            let whole = Fixture.segmenter.segmentWhole(text)
            #expect(Fixture.segmenter.segment(text) == whole, "\(text)")
            #expect(Fixture.segmenter.segment(text) == whole, "cached: \(text)")
        }
    }

    @Test("a regex runs only when the text has a character of each set one of its alternatives needs")
    func regexPrefilter() throws {
        let elderly = #"我(今年)?(已经)?[6789]\d(多)?岁|我(今年)?(已经)?[六七八九]十(多|几)?岁|i'?m ([6789]\d) (years old)?|i am ([6789]\d)"#
        let filter = try #require(RegexPrefilter(pattern: elderly))
        #expect(filter.alternatives.count == 4)
        #expect(filter.alternatives[0].contains(["岁"]) && filter.alternatives[0].contains(Array("6789".unicodeScalars)))
        #expect(filter.alternatives[0].last == ["我"], "the character most texts have is tested last")
        #expect(!filter.mayMatch("我的信用卡年费扣了两次 "))
        #expect(!filter.mayMatch("我今年五十岁了"), "5 is not in [6789]")
        #expect(filter.mayMatch("我今年七十多岁了"))
        #expect(filter.mayMatch("I'M 72 years old"))
        #expect(!filter.mayMatch("I'M fine"))
        // Groups: each alternative of 退休|退了休|退下来 needs 退; a lookahead needs its content; a lookbehind nothing.
        let retired = #"(?=已经|早就|早已)(?<![他她伴])(?:已经|早就|早已)(?:退休|退了休|退下来)(?:了|好几年)"#
        let groups = try #require(RegexPrefilter(pattern: retired))
        #expect(groups.alternatives == [[["退"], ["已", "早"], ["已", "早"], ["了", "好"]]])
        #expect(!groups.mayMatch("我已经还款了"))
        #expect(groups.mayMatch("早就退了休了"))
        // An alternative that needs nothing, or a cased non-ASCII letter alone, means no filter.
        #expect(RegexPrefilter(pattern: "abc|.+") == nil)
        #expect(RegexPrefilter(pattern: "(abc)?") == nil)
        #expect(RegexPrefilter(pattern: "(?:^|x)") == nil)
        #expect(RegexPrefilter(pattern: "ÉÉ") == nil)
        #expect(RegexPrefilter(pattern: "straße")?.alternatives.first?.contains(["s", "S"]) == true)
        #expect(RegexPrefilter(pattern: "abc|[0-9]+")?.mayMatch("x7") == true)
        #expect(RegexPrefilter(pattern: #"a\|b"#)?.mayMatch("a|b") == true)
        #expect(RegexPrefilter(pattern: #"a\|b"#)?.mayMatch("ab") == false)
        // Syntax this reading does not know turns the filter off rather than guess.
        #expect(RegexPrefilter(pattern: #"(\d)\1"#) == nil)
        #expect(RegexPrefilter(pattern: #"\p{Han}岁"#) == nil)
        // Flags need nothing; \u escapes are characters.
        #expect(RegexPrefilter(pattern: #"(?-i)\bI work"#)?.mayMatch("I work") == true)
        #expect(RegexPrefilter(pattern: #"(?s)^.*\u5c81"#)?.alternatives == [[["岁"]]])
        // A counted quantifier: {0,n} makes its atom optional, {2} does not; its digits are not text.
        #expect(RegexPrefilter(pattern: #"我\d{2,3}岁"#)?.mayMatch("我七十岁") == false)
        #expect(RegexPrefilter(pattern: #"我\d{2,3}岁"#)?.mayMatch("我78岁") == true)
        #expect(RegexPrefilter(pattern: #"我\d{0,3}岁"#)?.mayMatch("我岁") == true)
    }

    @Test("a regex runs only when the text has the adjacent characters its alternatives need")
    func regexPrefilterPairs() throws {
        // The age rule: 我, a 7–9 and 了 are in most texts; a digit right before 岁, 了 or 多 is not.
        let age = #"我(?:都|已经|今年)?(?:[789]\d|[七八九]十[一二三四五六七八九]?)(?:岁)?(?:了|多了|出头)"#
        let filter = try #require(RegexPrefilter(pattern: age))
        let digits = Array("0123456789".unicodeScalars)
        #expect(filter.pairs[0].contains(RegexPrefilter.Pair(before: ["我"], after: Array("都已今789七八九".unicodeScalars))))
        #expect(filter.pairs[0].contains(RegexPrefilter.Pair(before: digits + Array("一二三四五六七八九十".unicodeScalars), after: ["岁", "了", "多", "出"])))
        #expect(!filter.mayMatch("我的手机是13912345678，扣了两次"))
        #expect(filter.mayMatch("我今年78岁了"))
        #expect(filter.mayMatch("我都八十二了"))
        // Lookarounds and anchors consume nothing, so the characters on either side are adjacent.
        let looks = try #require(RegexPrefilter(pattern: #"(?=已经)(?<![他她])已经\b(?:退休|退了休)"#))
        #expect(looks.pairs == [[RegexPrefilter.Pair(before: ["已"], after: ["经"]), RegexPrefilter.Pair(before: ["经"], after: ["退"])]])
        #expect(!looks.mayMatch("已经还款了，退休金"))
        #expect(looks.mayMatch("我已经退了休"))
        // An optional piece between two widens what may follow; an unknown class ends a pair.
        #expect(RegexPrefilter(pattern: "ab?c")?.pairs == [[RegexPrefilter.Pair(before: ["a", "A"], after: ["b", "B", "c", "C"])]])
        #expect(RegexPrefilter(pattern: "a.c")?.pairs == [[]])
        #expect(RegexPrefilter(pattern: #"我\w岁"#)?.mayMatch("我七十岁") == true)
        // Free spacing would change what whitespace means: no filter.
        #expect(RegexPrefilter(pattern: "(?x) a b") == nil)
    }

    @Test("the prefilter never skips a text its regex matches")
    func regexPrefilterIsSafe() throws {
        let rules = try #require(CompiledRules.bundledURL())
        let pack = try CompiledRules.load(rules).pack
        let patterns = (pack.profileFacts.flatMap(\.rules) + pack.categories.flatMap(\.rules)
            + pack.compliance.identity + pack.compliance.riskDisclosure + pack.compliance.guaranteedReturn
            + pack.compliance.customerConfirmation + (pack.complaintRisk + pack.effort).flatMap(\.rules)).compactMap(\.regex)
        #expect(!patterns.isEmpty)
        let texts = try Self.labelledTexts(["labelled.jsonl", "heldout.jsonl", "train4-zh.jsonl", "train4-en.jsonl", "train5.jsonl",
                                             "train6.jsonl", "test6.jsonl", "test7.jsonl", "test8.jsonl", "test9.jsonl"])
            + ["我七十二了", "我已经退休了", "我是退休教师", "I'm 74", "我都八十了"]
        var filtered = 0
        var matched = 0
        for pattern in patterns {
            let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            guard let filter = RegexPrefilter(pattern: pattern) else { continue }
            filtered += 1
            for text in texts where regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                matched += 1
                #expect(filter.mayMatch(text), "\(pattern) matches \(text)")
            }
        }
        #expect(filtered == patterns.count, "every regex of the bundled pack has a prefilter")
        #expect(matched > 100, "the texts exercise the regexes")
    }

    @Test("byte order of UTF8Key is String order")
    func keyOrder() {
        let words = ["年费", "信用卡", "refund", "Refund", "a", "ab", "利息", "利率", "é", "z", "中"]
        for a in words {
            for b in words {
                #expect((UTF8Key(a) < UTF8Key(b)) == (a < b), "\(a) \(b)")
                #expect((UTF8Key(a) == UTF8Key(b)) == (a == b))
            }
        }
    }

    @Test("the term table numbers each word once, with its stem; a restored corpus keeps the numbers")
    func termTable() {
        let corpus = CorpusFrequencies()
        let (refunds, refund, fee) = corpus.withTable { table in
            (table.terms.id("refunds"), table.terms.id("refund"), table.terms.id("年费"))
        }
        corpus.withTable { table in
            #expect(table.terms.stems[Int(refunds)] == refund)
            #expect(table.terms.stems[Int(fee)] == fee)
            #expect(table.terms.isCandidate[Int(fee)])
            let stopWord = table.terms.id("的")
            #expect(!table.terms.isCandidate[Int(stopWord)])
            #expect(table.terms.id("年费") == fee)
        }
        corpus.observe(["年费", "refund"])
        #expect(corpus.snapshot == CorpusFrequencies.Snapshot(documents: 1, frequencies: ["年费": 1, "refund": 1]))
        corpus.restore(CorpusFrequencies.Snapshot(documents: 5, frequencies: ["年费": 3]))
        #expect(corpus.snapshot == CorpusFrequencies.Snapshot(documents: 5, frequencies: ["年费": 3]))
        corpus.withTable { table in #expect(table.terms.id("年费") == fee) }
    }

    @Test("text without a digit or @ holds no PII; full-width digits count")
    func piiPrecheck() {
        #expect(!PIIDetector.mayHoldPII("我的信用卡年费扣了两次"))
        #expect(PIIDetector.mayHoldPII("手机１３８"))
        #expect(PIIDetector.mayHoldPII("mail me: a＠b.cn"))
        #expect(PIIDetector.mayHoldPII("138"))
        #expect(PIIDetector().find(in: "手机１３８１２３４５６７８").map(\.type) == ["mobile"])
    }
}
