@testable import Analyze
import Testing

@Suite("Segmentation, stemming, language")
struct TextTests {
    @Test("jieba segments Chinese into words and keeps the rule pack's finance words whole")
    func segmentation() {
        _ = Fixture.shared
        let words = Fixture.segmenter.segment("我想提前还款，这个产品不保本吗？")
        #expect(words.contains("提前还款"))
        #expect(words.contains("不保本"))
        #expect(words.contains("|"))
        #expect(!words.contains("，"))
        #expect(words.joined().replacingOccurrences(of: "|", with: "") == "我想提前还款这个产品不保本吗")
    }

    @Test("English words are lower-cased and reduced by the Porter stemmer")
    func stemming() {
        #expect(EnglishStemmer.stem("refunds") == "refund")
        #expect(EnglishStemmer.stem("refunded") == "refund")
        #expect(EnglishStemmer.stem("charged") == EnglishStemmer.stem("charges"))
        #expect(EnglishStemmer.stem("relational") == "relat")
        #expect(EnglishStemmer.stem("hopping") == "hop")
        #expect(EnglishStemmer.stem("ponies") == "poni")
        #expect(Tokenizer.latinWords("I DON'T want fees!") == ["i", "don't", "want", "fees", "|"])
    }

    @Test("language is detected by script when not given, and a given tag wins")
    func language() {
        #expect(LanguageDetector.detect("我的信用卡被盗刷了") == "zh")
        #expect(LanguageDetector.detect("My card was stolen") == "en")
        #expect(LanguageDetector.detect("我的credit card被盗刷了") == "zh")
        #expect(LanguageDetector.detect("12345") == "und")
        #expect(LanguageDetector.resolve(given: "en-US", text: "我的卡") == "en")
        #expect(LanguageDetector.resolve(given: nil, text: "hello") == "en")
    }

    @Test("match form: English stems padded by spaces, clause marks, Chinese as written")
    func matchText() {
        #expect(String(String.UnicodeScalarView(MatchText.normalize("Refunds, please!"))) == " refund | pleas |")
        #expect(String(String.UnicodeScalarView(MatchText.normalize("年 费，扣了"))) == "年费|扣了")
    }
}
