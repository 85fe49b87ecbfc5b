import Foundation
import VOCSchema

/// A rule pack ready to match: every phrase in one ``PhraseIndex``, regexes compiled.
public final class CompiledRules: Sendable {
    public let pack: RulePack
    let index: PhraseIndex
    let negations: [[Unicode.Scalar]]
    /// The same words for the learned model's negation scope.
    let featureNegations: Features.Negations
    let categories: [(id: String, threshold: Double, rules: [CompiledRule])]
    let identity: [CompiledRule]
    let riskDisclosure: [CompiledRule]
    let guaranteedReturn: [CompiledRule]
    let customerConfirmation: [CompiledRule]
    let facts: [(definition: RulePack.FactDefinition, rules: [CompiledRule])]
    let complaintRisk: [(signal: String, rules: [CompiledRule])]
    let effort: [(signal: String, rules: [CompiledRule])]
    /// Phrase id → the rules (by number) that cannot match without it: so one pass over
    /// the phrases found tells which rules need a closer look.
    let rulesByPhrase: [[Int]]
    let ruleCount: Int

    /// - Throws: ``AnalyzeError`` naming the regex that does not compile.
    public init(_ pack: RulePack) throws(AnalyzeError) {
        self.pack = pack
        var builder = Builder(pack: pack)
        negations = pack.negations.map(MatchText.phrase).filter { !$0.isEmpty }
        featureNegations = Features.Negations(pack.negations)
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
        rulesByPhrase = builder.rulesByPhrase
        ruleCount = builder.ruleCount
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
        let matched = utterances.map { utterance in
            let normalized = MatchText.normalize(utterance.text)
            return MatchUtterance(speaker: utterance.speaker, text: utterance.text, normalized: normalized,
                                  hits: index.search(normalized))
        }
        var candidates = [Bool](repeating: false, count: ruleCount)
        for utterance in matched {
            for id in utterance.hits.found where id < rulesByPhrase.count {
                for rule in rulesByPhrase[id] { candidates[rule] = true }
            }
        }
        return MatchDocument(channel: channel, utterances: matched, candidates: candidates)
    }

    private struct Builder {
        let pack: RulePack
        var index = PhraseIndex()
        var rulesByPhrase: [[Int]] = []
        var ruleCount = 0

        mutating func cues(_ cues: [RulePack.Cue], _ path: String) throws(AnalyzeError) -> [(signal: String, rules: [CompiledRule])] {
            var compiled: [(signal: String, rules: [CompiledRule])] = []
            for cue in cues {
                compiled.append((cue.signal, try compile(cue.rules, "\(path).\(cue.signal)", .allow)))
            }
            return compiled
        }

        mutating func ids(_ words: [String]) -> [Int] {
            words.compactMap { index.add(MatchText.phrase($0)) }
        }

        /// The words with every `@name` replaced by the words of `lists.name`.
        func expanded(_ words: [String]?, _ path: String) throws(AnalyzeError) -> [String] {
            let words = words ?? []
            if let unknown = words.first(where: { $0.hasPrefix("@") && pack.lists[String($0.dropFirst())] == nil }) {
                throw AnalyzeError(.rulePack, "\(path) names \(unknown), but the pack has no such list (lists: \(pack.lists.keys.sorted().joined(separator: ", ")))")
            }
            return pack.expanded(words)
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
                    let role = SpeakerRole(rawValue: name)
                    guard role.isKnown else {
                        throw AnalyzeError(.rulePack, "\(path).rules[\(position)].speaker must be \(SpeakerRole.knownList), not \(name)")
                    }
                    speaker = role
                }
                let at = "\(path).rules[\(position)]"
                var near: (a: [Int], b: [Int], within: Int)?
                if let given = rule.near {
                    near = (ids(try expanded(given.a, at + ".near.a")), ids(try expanded(given.b, at + ".near.b")), given.within)
                }
                let phrases = ids(try expanded(rule.keywords, at + ".keywords")) + ids(try expanded(rule.phrases, at + ".phrases"))
                // In the index too, so a match's clause is checked against the places already found.
                let unless = ids(try expanded(rule.unless, at + ".unless"))
                let number = ruleCount
                ruleCount += 1
                for id in phrases + (near?.a ?? []) {
                    while rulesByPhrase.count <= id { rulesByPhrase.append([]) }
                    if rulesByPhrase[id].last != number { rulesByPhrase[id].append(number) }
                }
                compiled.append(CompiledRule(
                    number: number, phrases: phrases, regex: regex, regexPrefilter: prefilter, near: near, speaker: speaker,
                    channels: rule.channels.map(Set.init), weight: rule.weight, negated: rule.negated ?? defaultNegation, unless: unless))
            }
            return compiled
        }
    }
}

/// One rule, its phrases as index ids. A class: every analysis walks every rule, and
/// copying the struct's arrays and sets retained each of them.
final class CompiledRule: @unchecked Sendable {  // immutable; NSRegularExpression is immutable once built
    /// Its place among the pack's rules (see ``CompiledRules/rulesByPhrase``).
    let number: Int
    let phrases: [Int]
    let regex: NSRegularExpression?
    let regexPrefilter: RegexPrefilter?
    let near: (a: [Int], b: [Int], within: Int)?
    let speaker: SpeakerRole?
    let channels: Set<String>?
    let weight: Double
    let negated: MatchRule.Negation
    /// Phrase ids: a match is ignored when one of these is found in its clause.
    let unless: [Int]

    init(number: Int, phrases: [Int], regex: NSRegularExpression?, regexPrefilter: RegexPrefilter?, near: (a: [Int], b: [Int], within: Int)?,
         speaker: SpeakerRole?, channels: Set<String>?, weight: Double, negated: MatchRule.Negation, unless: [Int]) {
        self.number = number
        self.phrases = phrases
        self.regex = regex
        self.regexPrefilter = regexPrefilter
        self.near = near
        self.speaker = speaker
        self.channels = channels
        self.weight = weight
        self.negated = negated
        self.unless = unless
    }
}

/// One utterance ready for the rules. A class: every rule looks at every utterance, and
/// copying the struct retained each of its arrays.
final class MatchUtterance {
    let speaker: SpeakerRole
    let text: String
    let normalized: [Unicode.Scalar]
    let hits: PhraseIndex.Hits
    /// For the regex prefilters, made when the first regex rule looks at the utterance.
    lazy var presence = RegexPrefilter.Presence(text)

    init(speaker: SpeakerRole, text: String, normalized: [Unicode.Scalar], hits: PhraseIndex.Hits) {
        self.speaker = speaker
        self.text = text
        self.normalized = normalized
        self.hits = hits
    }
}

struct MatchDocument {
    var channel: String
    var utterances: [MatchUtterance]
    /// Rule number → one of the phrases it needs occurs somewhere.
    var candidates: [Bool]
}

/// Where a rule matched: the utterance and the position in its match form.
struct RuleHit: Equatable {
    var utterance: Int
    var position: Int
}
