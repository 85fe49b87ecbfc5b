import Foundation
import VOCSchema

/// A rule pack ready to match: every phrase in one ``PhraseIndex``, regexes compiled.
public final class CompiledRules: Sendable {
    public let pack: RulePack
    let index: PhraseIndex
    let negations: [[Unicode.Scalar]]
    let categories: [(id: String, threshold: Double, rules: [CompiledRule])]
    let identity: [CompiledRule]
    let riskDisclosure: [CompiledRule]
    let guaranteedReturn: [CompiledRule]
    let customerConfirmation: [CompiledRule]
    let facts: [(definition: RulePack.FactDefinition, rules: [CompiledRule])]
    let complaintRisk: [(signal: String, rules: [CompiledRule])]
    let effort: [(signal: String, rules: [CompiledRule])]

    /// - Throws: ``AnalyzeError`` naming the regex that does not compile.
    public init(_ pack: RulePack) throws(AnalyzeError) {
        self.pack = pack
        var builder = Builder()
        negations = pack.negations.map(MatchText.phrase).filter { !$0.isEmpty }
        var categories: [(id: String, threshold: Double, rules: [CompiledRule])] = []
        for category in pack.categories {
            categories.append((category.id, category.threshold, try builder.compile(category.rules, "categories.\(category.id)", .allow)))
        }
        self.categories = categories
        identity = try builder.compile(pack.compliance.identity, "compliance.identity", .skip)
        riskDisclosure = try builder.compile(pack.compliance.riskDisclosure, "compliance.riskDisclosure", .skip)
        guaranteedReturn = try builder.compile(pack.compliance.guaranteedReturn, "compliance.guaranteedReturn", .skip)
        customerConfirmation = try builder.compile(pack.compliance.customerConfirmation, "compliance.customerConfirmation", .skip)
        var facts: [(definition: RulePack.FactDefinition, rules: [CompiledRule])] = []
        for fact in pack.profileFacts {
            facts.append((fact, try builder.compile(fact.rules, "profileFacts.\(fact.fact)", .skip)))
        }
        self.facts = facts
        complaintRisk = try builder.cues(pack.complaintRisk, "complaintRisk")
        effort = try builder.cues(pack.effort, "effort")
        index = builder.index
    }

    /// Loads and compiles a rule file.
    /// - Throws: ``AnalyzeError`` naming the file and what is wrong with it.
    public static func load(_ url: URL) throws(AnalyzeError) -> CompiledRules {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AnalyzeError(.rulePack, "cannot read \(url.path): \(error.localizedDescription)")
        }
        let pack: RulePack
        do { pack = try JSONDecoder().decode(RulePack.self, from: data) } catch {
            throw AnalyzeError(.rulePack, "\(url.path) is not a valid rule pack: \(error)")
        }
        return try CompiledRules(pack)
    }

    /// The default finance rule pack shipped with the module.
    public static func bundledURL() -> URL? {
        Bundle.module.url(forResource: "rules", withExtension: nil)?.appendingPathComponent("finance.json")
    }

    /// Matches every phrase of the pack in the utterances.
    func document(_ utterances: [(speaker: SpeakerRole, text: String)], channel: String) -> MatchDocument {
        MatchDocument(channel: channel, utterances: utterances.map { utterance in
            let normalized = MatchText.normalize(utterance.text)
            return MatchUtterance(speaker: utterance.speaker, text: utterance.text, normalized: normalized,
                                  hits: index.search(normalized))
        })
    }

    private struct Builder {
        var index = PhraseIndex()

        mutating func cues(_ cues: [RulePack.Cue], _ path: String) throws(AnalyzeError) -> [(signal: String, rules: [CompiledRule])] {
            var compiled: [(signal: String, rules: [CompiledRule])] = []
            for cue in cues {
                compiled.append((cue.signal, try compile(cue.rules, "\(path).\(cue.signal)", .allow)))
            }
            return compiled
        }

        mutating func ids(_ words: [String]?) -> [Int] {
            (words ?? []).compactMap { index.add(MatchText.phrase($0)) }
        }

        mutating func compile(_ rules: [MatchRule], _ path: String,
                              _ defaultNegation: MatchRule.Negation) throws(AnalyzeError) -> [CompiledRule] {
            var compiled: [CompiledRule] = []
            for (position, rule) in rules.enumerated() {
                var regex: NSRegularExpression?
                var prefilter: RegexPrefilter?
                if let pattern = rule.regex {
                    prefilter = RegexPrefilter(pattern: pattern)
                    do { regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) } catch {
                        throw AnalyzeError(.rulePack, "\(path).rules[\(position)].regex does not compile: \(pattern)")
                    }
                }
                var speaker: SpeakerRole?
                if let name = rule.speaker {
                    guard let role = SpeakerRole(rawValue: name) else {
                        throw AnalyzeError(.rulePack, "\(path).rules[\(position)].speaker must be agent, customer or unknown, not \(name)")
                    }
                    speaker = role
                }
                let near = rule.near.map { (a: ids($0.a), b: ids($0.b), within: $0.within) }
                compiled.append(CompiledRule(
                    phrases: ids(rule.keywords) + ids(rule.phrases), regex: regex, regexPrefilter: prefilter, near: near, speaker: speaker,
                    channels: rule.channels.map(Set.init), weight: rule.weight, negated: rule.negated ?? defaultNegation, unless: (rule.unless ?? []).map(MatchText.phrase)))
            }
            return compiled
        }
    }
}

/// One rule, its phrases as index ids.
struct CompiledRule: @unchecked Sendable {  // NSRegularExpression is immutable once built
    var phrases: [Int]
    var regex: NSRegularExpression?
    var regexPrefilter: RegexPrefilter?
    var near: (a: [Int], b: [Int], within: Int)?
    var speaker: SpeakerRole?
    var channels: Set<String>?
    var weight: Double
    var negated: MatchRule.Negation
    var unless: [[Unicode.Scalar]]
}

struct MatchUtterance {
    var speaker: SpeakerRole
    var text: String
    var normalized: [Unicode.Scalar]
    var hits: PhraseIndex.Hits
}

struct MatchDocument {
    var channel: String
    var utterances: [MatchUtterance]
}

/// Where a rule matched: the utterance and the position in its match form.
struct RuleHit: Equatable {
    var utterance: Int
    var position: Int
}
