@testable import Analyze
import Testing
import VOCSchema

@Suite("Profile facts and suitability")
struct ProfileFactTests {
    @Test("a fact said in passing inside a complaint is found, flagged sensitive, with its evidence and a suitability hint")
    func inPassing() throws {
        let insight = Fixture.shared.analyze(Fixture.input([
            (.agent, "您好，请问有什么可以帮您？"),
            (.customer, "你们又打电话催收，我有高血压，被你们吓得血压都上来了！"),
        ])).insight
        let fact = try #require(insight.profileFacts.first)
        #expect(insight.profileFacts.map(\.fact) == ["health.hypertension"])
        #expect(fact.sensitive && fact.utteranceIndex == 1)
        #expect(fact.evidence == "你们又打电话催收，我有高血压，被你们吓得血压都上来了！")
        #expect(fact.confidence > 0.5 && fact.confidence < 1)
        #expect(insight.suitability == ["no_wine"])
        #expect(insight.categories.map(\.id).contains("collection_conduct"))
    }

    @Test("negated mentions and other people's conditions are no facts; the agent's words are not the customer's")
    func notFacts() {
        #expect(Fixture.customer("我没有高血压，就是问问。").profileFacts.isEmpty)
        #expect(Fixture.customer("我妈妈有高血压，想给她买保险。").profileFacts.isEmpty)
        #expect(Fixture.customer("My husband is diabetic.").profileFacts.isEmpty)
        let agentOnly = Fixture.shared.analyze(Fixture.input([(.agent, "很多退休的客户都喜欢看电影。")])).insight
        #expect(agentOnly.profileFacts.isEmpty)
    }

    @Test("suitability: fear of flying, dental, film, alcohol, in both languages")
    func suitability() {
        let zh = Fixture.customer("我不能喝酒，也怕坐飞机，牙齿不好，平时喜欢看电影。")
        #expect(Set(zh.profileFacts.map(\.fact)) == ["health.alcohol_avoid", "travel.fear_of_flying", "health.dental", "interest.film"])
        #expect(Set(zh.suitability) == ["no_wine", "no_airport_lounge", "no_hard_food", "cinema_tickets"])
        #expect(zh.profileFacts.filter(\.sensitive).map(\.fact).sorted() == ["health.alcohol_avoid", "health.dental"])
        let en = Fixture.customer("I'm retired, I love golf, and I have high blood pressure.")
        #expect(Set(en.profileFacts.map(\.fact)) == ["life.retired", "interest.golf", "health.hypertension"])
        #expect(en.suitability.contains("no_wine"))
    }
}
