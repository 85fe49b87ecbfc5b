import Testing
@testable import Transcribe

@Suite("Word error rate")
struct WordErrorRateTests {
    @Test("identical text scores zero, whatever the case and punctuation")
    func identical() {
        let score = WordErrorRate.score(reference: "Is this a deposit? No.", hypothesis: "is this a DEPOSIT no")
        #expect(score.errors == 0)
        #expect(score.referenceWords == 5)
        #expect(score.rate == 0)
    }

    @Test("substitutions, deletions and insertions each count one")
    func edits() {
        // "not a" → "out of": two substitutions; "principal" deleted; "today" inserted.
        let score = WordErrorRate.score(reference: "this product is not a deposit you may lose principal",
                                        hypothesis: "this product is out of deposit you may lose today")
        #expect(score.errors == 3)
        #expect(score.referenceWords == 10)
        #expect(abs(score.rate - 0.3) < 1e-9)
        #expect(WordErrorRate.score(reference: "a b c", hypothesis: "a x b c").errors == 1)
        #expect(WordErrorRate.score(reference: "a b c", hypothesis: "").errors == 3)
    }

    @Test("apostrophes stay inside words; Chinese counts per character")
    func tokens() {
        #expect(WordErrorRate.tokens("I'm sorry, it's the fund’s fee.") == ["i'm", "sorry", "it's", "the", "fund's", "fee"])
        #expect(WordErrorRate.tokens("年费扣了两次") == ["年", "费", "扣", "了", "两", "次"])
        #expect(WordErrorRate.score(reference: "年费扣了两次", hypothesis: "年费扣了三次").errors == 1)
    }
}
