@testable import Analyze
import Testing

@Suite("Sentiment")
struct SentimentTests {
    let analyzer = SentimentAnalyzer()

    func zh(_ text: String) -> Double { analyzer.score(words: Fixture.segmenter.segment(text)).score }
    func en(_ text: String) -> Double { analyzer.score(words: Tokenizer.latinWords(text)).score }

    @Test("Chinese: negation flips (不满意, 没解决, 没问题), intensifiers strengthen, diminishers weaken")
    func chinese() {
        _ = Fixture.shared
        #expect(zh("服务很满意") > 0.15)
        #expect(zh("我不满意") < -0.15)
        #expect(zh("问题没解决") < 0)
        #expect(zh("没问题") > 0)
        #expect(zh("非常慢") < zh("有点慢"))
        #expect(zh("有点慢") < 0)
        #expect(zh("今天下午三点") == 0)
    }

    @Test("English: not helpful is negative, very good beats good, a clause mark ends the negation")
    func english() {
        #expect(en("the agent was helpful") > 0.15)
        #expect(en("the agent was not helpful") < -0.15)
        #expect(en("very good") > en("good"))
        #expect(en("slightly slow") > en("extremely slow"))
        #expect(en("not bad") > 0)
        #expect(en("No, the service was great") > 0.15)
    }

    @Test("overall weighs the customer above the agent")
    func overall() {
        let customer = SentimentAnalyzer.Score(label: "negative", score: -0.8)
        let agent = SentimentAnalyzer.Score(label: "positive", score: 0.8)
        let result = analyzer.overall([(customer, false), (agent, true)])
        #expect(result.label == "negative")
        #expect(result.score < -0.3)
    }
}
