@testable import Analyze
import Testing
import VOCSchema

@Suite("Compliance of advisor calls")
struct ComplianceTests {
    func rules(_ utterances: [(SpeakerRole, String)], channel: String = "advisor_call") -> [String] {
        findings(utterances, channel: channel).map(\.rule).sorted()
    }

    func findings(_ utterances: [(SpeakerRole, String)], channel: String = "advisor_call") -> [InsightProduced.ComplianceFinding] {
        Fixture.shared.analyze(Fixture.input(channel: channel, utterances)).insight.compliance
    }

    let identity = (SpeakerRole.agent, "您好，我是招商银行的理财经理小王，工号A1023。")

    @Test("a compliant call: identity, disclosure, then the customer's confirmation")
    func compliant() {
        #expect(rules([identity, (.customer, "这个产品怎么样？"), (.agent, "这款产品不保本，投资有风险。"), (.customer, "好的，我明白了，我确认。")]).isEmpty)
    }

    @Test("不保本 and 不能保证收益 are disclosures, not promises")
    func negatedPromise() {
        #expect(rules([identity, (.agent, "这款产品不保本。"), (.customer, "我了解了。")]).isEmpty)
        #expect(rules([identity, (.agent, "我不能保证收益，市场有风险。"), (.customer, "清楚了。")]).isEmpty)
        #expect(rules([identity, (.agent, "并不是没有风险，这是非保本产品。"), (.customer, "知道了。")]).isEmpty)
    }

    @Test("a promise is found in paraphrase and cites the agent's utterance")
    func promise() {
        let found = findings([identity, (.agent, "投资有风险，不过您放心，绝对不会亏的。"), (.customer, "好的，我明白了。")])
        #expect(found.map(\.rule) == ["guaranteed_return_promise"])
        #expect(found.first?.utteranceIndex == 1)
        #expect(found.first?.evidence == "投资有风险，不过您放心，绝对不会亏的。")
        #expect(rules([identity, (.agent, "这款产品保本保息，稳赚不赔。"), (.customer, "好。")]).contains("guaranteed_return_promise"))
    }

    @Test("a speaker role or channel this build does not know is carried into the insight; the speaker is not the agent")
    func valuesFromALaterVersion() {
        let input = Fixture.input(channel: "advisor_video", [
            identity, (.unrecognized("supervisor"), "这款产品保本保息，稳赚不赔。"), (.customer, "好的，我明白了，我确认。"),
        ])
        let insight = Fixture.shared.analyze(input).insight
        #expect(!insight.compliance.map(\.rule).contains("guaranteed_return_promise"))
        #expect(insight.utterances.map(\.speaker) == [.agent, .unrecognized("supervisor"), .customer])
        #expect(insight.channel == .unknown("advisor_video"))
    }

    @Test("in a transcript without punctuation a contrast word ends the reach of a disclaimer")
    func contrastInTranscript() {
        let said = (SpeakerRole.agent, "这个产品虽然写的是非保本 但是实际上到期百分之三点八是保证给您的")
        #expect(rules([identity, said, (.customer, "好的我明白了")]).contains("guaranteed_return_promise"))
        #expect(rules([identity, (.agent, "这个产品是非保本的收益不保证给您的 有亏损的可能"), (.customer, "好的我明白了")]).isEmpty)
    }

    @Test("the customer asking for 保本 is not the agent promising it")
    func speakerAware() {
        #expect(rules([identity, (.customer, "我就要保本的，稳赚的那种。"), (.agent, "这款是净值型产品，存在本金损失的风险。"), (.customer, "好，我确认。")]).isEmpty)
    }

    @Test("a confirmation before the disclosure does not count; a negated one neither")
    func orderAware() {
        let early = findings([identity, (.customer, "好的，我同意购买。"), (.agent, "提醒您，这款产品有亏损本金的风险。")])
        #expect(early.map(\.rule) == ["customer_confirmation_missing"])
        #expect(early.first?.utteranceIndex == 1)
        #expect(rules([identity, (.agent, "这款产品风险等级R3，可能亏损。"), (.customer, "我不太明白你说的风险等级。")]) == ["customer_confirmation_missing"])
    }

    @Test("identity must come in the agent's first turns")
    func identityFirst() {
        #expect(rules([(.agent, "您好，今天给您推荐一款基金。"), (.agent, "历史业绩不代表未来，投资有风险。"), (.customer, "好的，我清楚了。"),
                       (.agent, "我是浦发银行的理财经理，工号P5566。")]) == ["identity_not_stated"])
    }

    @Test("English: a negated guarantee is a disclosure; risk-free is a promise, not a disclosure")
    func english() {
        #expect(rules([(.agent, "Hi, my name is Tom and I'm an adviser at North Securities."),
                       (.agent, "I cannot guarantee returns and you could lose part of your principal."),
                       (.customer, "Understood, I confirm.")]).isEmpty)
        #expect(rules([(.agent, "This fund is guaranteed, it is completely risk-free."), (.customer, "Great.")]) ==
            ["customer_confirmation_missing", "guaranteed_return_promise", "identity_not_stated", "risk_disclosure_missing"])
    }

    @Test("only advisor calls are checked")
    func channels() {
        #expect(rules([(.agent, "这款产品保本保息。")], channel: "hotline_call").isEmpty)
    }
}
