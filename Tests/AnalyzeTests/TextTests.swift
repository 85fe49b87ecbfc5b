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

    @Test("contrast words start a clause; 不但 and 不过分 do not")
    func contrastWords() {
        func starts(_ text: String) -> [Int] {
            let normalized = MatchText.normalize(text)
            return normalized.indices.filter { MatchText.contrastStarts(normalized, at: $0) }
        }
        #expect(starts("不保本但是保收益") == [3])
        #expect(starts("不保本可是保收益不过要等") == [3, 8])
        #expect(starts("不但保本而且不过分") == [])
        #expect(starts("not protected but safe") == [" not protect ".count - 1])
        #expect(starts("butter and button") == [])
    }
}
