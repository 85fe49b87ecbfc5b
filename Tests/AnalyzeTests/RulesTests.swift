@testable import Analyze
import Foundation
import Logging
import Testing

@Suite("Categories and the rule file")
struct RulesTests {
    @Test("several categories per interaction, ranked by score, in Chinese and English")
    func ranked() {
        let zh = Fixture.customer("我的卡被盗刷了，打了三次电话都没人接，年费还照扣")
        let ids = zh.categories.map(\.id)
        #expect(Set(ids).isSuperset(of: ["fraud_security", "service_quality", "fees_interest"]))
        #expect(zh.categories.map(\.score) == zh.categories.map(\.score).sorted(by: >))
        let en = Fixture.customer("Please cancel my card and refund the annual fee.")
        #expect(Set(en.categories.map(\.id)) == ["refund_cancellation", "fees_interest"])
        #expect(Fixture.customer("你好，请问营业时间？").categories.isEmpty)
    }

    @Test("the bundled pack covers the twelve categories of the design")
    func taxonomy() throws {
        let pack = try CompiledRules.load(Fixture.rulesURL).pack
        #expect(Set(pack.categories.map(\.id)) == [
            "repayment", "fees_interest", "collection_conduct", "credit_report", "refund_cancellation", "account_access",
            "product_inquiry", "redemption_withdrawal", "fraud_security", "service_quality", "privacy_data", "praise",
        ])
    }

    @Test("a bad regex or speaker is refused with the rule's path")
    func invalid() throws {
        var pack = try CompiledRules.load(Fixture.rulesURL).pack
        pack.categories[0].rules = [MatchRule(phrases: ["x"], speaker: "boss")]
        #expect(throws: AnalyzeError.self) { try CompiledRules(pack) }
        do {
            _ = try CompiledRules(pack)
        } catch {
            #expect(error.description.contains("categories.\(pack.categories[0].id).rules[0].speaker"))
        }
    }

    @Test("@name in a rule stands for a named word list of the pack; an unknown name is refused with the rule's path")
    func lists() throws {
        var pack = try CompiledRules.load(Fixture.rulesURL).pack
        pack.lists["kin"] = ["舅舅", "my uncle"]
        pack.profileFacts = [RulePack.FactDefinition(fact: "health.gout", rules: [
            MatchRule(keywords: ["痛风", "gout"], unless: ["@kin"]),
        ])]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("voc-lists-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try JSONEncoder().encode(pack).write(to: url)
        let analyzer = try Fixture.analyzer(rules: url)
        func facts(_ text: String) -> [String] {
            analyzer.analyze(Fixture.input([(.customer, text)])).insight.profileFacts.map(\.fact)
        }
        #expect(facts("我有痛风，不能喝啤酒") == ["health.gout"])
        #expect(facts("我舅舅有痛风").isEmpty)
        #expect(facts("my uncle has gout").isEmpty)
        pack.profileFacts[0].rules[0].unless = ["@relatives"]
        do {
            _ = try CompiledRules(pack)
            Issue.record("a pack naming an unknown list compiled")
        } catch {
            #expect(error.description.contains("profileFacts.health.gout.rules[0].unless names @relatives"))
        }
    }

    @Test("the rule file is reloaded when it changes; a broken edit keeps the previous pack")
    func hotReload() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rules.json")
        let original = try String(contentsOf: Fixture.rulesURL, encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        // Checked on every call, so each edit is seen by the next analysis without waiting.
        let analyzer = try Fixture.analyzer(rules: file, checkInterval: .zero)
        let input = Fixture.input(id: "r1", [(.customer, "我想买一张电影票")])
        let before = analyzer.analyze(input).insight
        #expect(before.rulePackVersion == "finance-2026.12.3")
        #expect(!before.categories.map(\.id).contains("praise"))

        // A new version that also counts 电影票 as praise.
        var edited = try JSONSerialization.jsonObject(with: Data(original.utf8)) as! [String: Any]
        edited["version"] = "finance-test.2"
        var categories = edited["categories"] as! [[String: Any]]
        let praise = categories.firstIndex { $0["id"] as? String == "praise" }!
        var rules = categories[praise]["rules"] as! [[String: Any]]
        rules.append(["keywords": ["电影票"]])
        categories[praise]["rules"] = rules
        edited["categories"] = categories
        try JSONSerialization.data(withJSONObject: edited).write(to: file, options: .atomic)
        let after = analyzer.analyze(input).insight
        #expect(after.rulePackVersion == "finance-test.2")
        #expect(after.categories.map(\.id).contains("praise"))
        #expect(after.insightId != before.insightId)

        try Data("{ not json".utf8).write(to: file, options: .atomic)
        #expect(analyzer.analyze(input).insight.rulePackVersion == "finance-test.2")
    }
}
