import Foundation
import Logging
import VOCSchema

/// Turns one interaction into an insight: PII found and redacted, then language,
/// sentiment, keywords, categories, compliance, profile facts, suitability,
/// complaint risk, effort and cluster — the same code for the stage and `voc analyze`.
///
/// With a learned model (``ModelStore``) the model decides sentiment and categories;
/// the rules still decide PII, compliance and profile facts and feed the model their
/// phrase hits. Without one, the rules and the lexicon decide everything.
///
/// Every analyser after PII sees the text with the PII blanked out, so no personal
/// data can become a keyword, a cluster label or evidence.
public final class Analyzer: Sendable {
    /// Bumped when the analysers change what they produce; part of the insight id.
    public static let version = "analyze-1"

    public let rules: RulePackStore
    public let segmenter: ChineseSegmenter
    public let corpus: CorpusFrequencies
    public let clusters: ClusterBook
    public let model: ModelStore?
    /// The e5 engine for a model's embedding head (the slow path of the cascade).
    public let embedder: EmbedderSource?
    let tokenizer: Tokenizer
    let sentiment = SentimentAnalyzer()
    let keywords: KeywordExtractor

    public init(rules: RulePackStore, segmenter: ChineseSegmenter, corpus: CorpusFrequencies = CorpusFrequencies(),
                clusters: ClusterBook = ClusterBook(), keywordLimit: Int = 8, model: ModelStore? = nil,
                embedder: EmbedderSource? = nil) {
        self.rules = rules
        self.model = model
        self.embedder = embedder
        self.segmenter = segmenter
        self.corpus = corpus
        self.clusters = clusters
        self.tokenizer = Tokenizer(segmenter: segmenter)
        self.keywords = KeywordExtractor(limit: keywordLimit)
    }

    /// Loads jieba, the rule file and the model file (none: rules alone), and teaches jieba
    /// the pack's words at every (re)load. `embedding` false: the model's e5 slow path is
    /// never taken.
    /// - Throws: ``AnalyzeError`` when jieba's dictionary, the rule file or the model cannot be loaded.
    public static func make(rulesURL: URL, modelURL: URL? = nil, checkInterval: Duration = .seconds(2), dictionary: URL? = nil,
                            clauseCache: Int = ChineseSegmenter.defaultClauseCache,
                            corpus: CorpusFrequencies = CorpusFrequencies(), clusters: ClusterBook = ClusterBook(),
                            keywordLimit: Int = 8, embeddingURL: URL? = nil, embedding: Bool = true, logger: Logger) throws(AnalyzeError) -> Analyzer {
        let segmenter = try ChineseSegmenter(dictionary: dictionary, clauseCache: clauseCache)
        let store = try RulePackStore(url: rulesURL, checkInterval: checkInterval, logger: logger) { rules in
            segmenter.addWords(rules.pack.lexicon + rules.pack.categories.flatMap { $0.rules.flatMap { rules.pack.expanded($0.keywords ?? []) } })
        }
        let model = try modelURL.map { url throws(AnalyzeError) in try ModelStore(url: url, checkInterval: checkInterval, logger: logger) }
        return Analyzer(rules: store, segmenter: segmenter, corpus: corpus, clusters: clusters, keywordLimit: keywordLimit,
                        model: model, embedder: model == nil || !embedding ? nil : EmbedderSource(url: embeddingURL, logger: logger))
    }

    /// The analysers' version with the model's, when a model decides: `analyze-1+linear-…`.
    public static func analyzerVersion(modelVersion: String?) -> String {
        modelVersion.map { version + "+" + $0 } ?? version
    }

    /// The deterministic insight id: the source, the rule-pack version, the analysers' version and the model's.
    public static func insightId(sourceId: String, rulePackVersion: String, modelVersion: String? = nil) -> String {
        StableID.make("insight", sourceId, rulePackVersion, analyzerVersion(modelVersion: modelVersion))
    }

    /// An insight and what the corpus and the clusters learn from it.
    public struct Analysis: Sendable {
        public var insight: InsightProduced
        public var learning: Learning
        /// What the model reads (what `voc train` learns from); nil when there was no model to read it.
        public var features: FeatureSet?
        /// The model's probabilities per sentiment label and per category; nil without a model.
        public var sentimentProbabilities: [Double]?
        public var categoryProbabilities: [Double]?
        /// Which part of the model decided sentiment and categories; nil without a model.
        public var path: LearnedPath?
    }

    /// What one interaction adds to the shared state; applied by ``learn(_:)`` once the
    /// stage has recorded it (so a redelivered transcript is not counted twice).
    public struct Learning: Sendable, Equatable {
        /// The interaction's distinct terms.
        public var terms: [String]
        public var cluster: ClusterBook.Update?
        /// The same terms as numbered by the corpus (numbers are never reused).
        var termIDs: [Int32]
    }

    /// Analyses and learns at once: what `voc analyze` does, line after line.
    public func analyzeAndLearn(_ input: AnalysisInput, producedAt: Date = Date()) -> InsightProduced {
        let analysis = analyze(input, producedAt: producedAt)
        learn(analysis.learning)
        return analysis.insight
    }

    public func learn(_ learning: Learning) {
        corpus.observe(ids: learning.termIDs)
        if let update = learning.cluster { clusters.apply(update) }
    }

    /// Analyses one interaction against the current corpus and clusters, changing neither.
    public func analyze(_ input: AnalysisInput, producedAt: Date = Date()) -> Analysis {
        analyze(input, producedAt: producedAt, model: model?.current(), features: false)
    }

    /// The same with the rules and the lexicon alone, whatever model is loaded, with the
    /// features a model would read.
    public func analyzeWithRules(_ input: AnalysisInput, producedAt: Date = Date()) -> Analysis {
        analyze(input, producedAt: producedAt, model: nil, features: true)
    }

    func analyze(_ input: AnalysisInput, producedAt: Date, model: LinearModel?, features wanted: Bool) -> Analysis {
        let compiled = rules.current()
        let pii = PIIDetector(placeholders: compiled.pack.redaction)

        var findings: [InsightProduced.PIIFinding] = []
        var redacted: [String] = []
        var blanked: [String] = []
        for (index, utterance) in input.utterances.enumerated() {
            let question = index > 0 && input.utterances[index - 1].speaker != utterance.speaker ? input.utterances[index - 1].text : nil
            let found = pii.find(in: utterance.text, answering: question)
            findings += found.map { .init(type: $0.type, value: $0.masked, utteranceIndex: index, start: $0.start, end: $0.end) }
            let replaced = pii.redactAndBlank(utterance.text, found)
            redacted.append(replaced.redacted)
            blanked.append(replaced.blanked)
        }

        let language = LanguageDetector.resolve(given: input.language, texts: blanked)
        let tokens = blanked.map { tokenizer.tokens($0, language: language) }
        // Each word is numbered once, under one lock; sentiment, keyword counts and TF-IDF then read arrays.
        let (scores, top, termIDs, terms) = corpus.withTable { table in
            let ids = tokens.map { $0.ids(in: &table.terms) }
            let scores = ids.map { sentiment.score(ids: $0[...], table: table.terms) }
            // Counted by stem ("refunds", "refunded" → refund), shown as first written.
            let counts = KeywordExtractor.Counts(Array(ids.joined()), table: table.terms)
            let top = keywords.extract(counts, table: table)
            return (scores, top, counts.terms, counts.terms.map { table.terms.strings[Int($0)] })
        }
        var overall = sentiment.overall(zip(scores, input.utterances).map { ($0, $1.speaker == .agent) })
        var utteranceScores = scores

        let document = compiled.document(zip(input.utterances, blanked).map { ($0.speaker, $1) }, channel: input.channel)
        let ruleCategories = Categorizer().categorize(document, rules: compiled)
        var categories = ruleCategories.map { (id: $0.id, score: $0.score) }
        let compliance = ComplianceChecker().check(document, channel: input.channel, rules: compiled)
        let extractor = ProfileFactExtractor()
        let facts = extractor.extract(document, rules: compiled)
        let scorer = SignalScorer()
        let cues = scorer.complaintCues(document, rules: compiled)
        let effort = scorer.effort(document, rules: compiled)
        let features = model == nil && !wanted ? nil : FeatureSet(tokens: tokens, speakers: input.utterances.map(\.speaker), negations: compiled.featureNegations,
                                  language: language, channel: input.channel, rules: ruleCategories.map(\.id),
                                  signals: cues.signals + effort.signals, texts: blanked)
        let learned = features.flatMap { model?.score($0, embedder: embedder) }
        if let learned {
            overall = learned.sentiment
            utteranceScores = learned.utterances
            categories = learned.categories
        }
        let risk = scorer.adding(sentiment: overall.score, to: cues)

        let isComplaint = overall.label == "negative" || risk.value >= 0.4
        var update: ClusterBook.Update?
        if isComplaint, !top.isEmpty {
            update = clusters.propose(businessLine: input.businessLine, month: Self.month(input.occurredAt ?? producedAt),
                                      terms: top.map { (UTF8Key($0.term), $0.weight) }, seed: input.id)
        }
        let cluster = update.map { InsightProduced.ClusterAssignment(id: $0.id, label: $0.label, size: $0.size) }

        // A channel this build does not know is carried into the insight as it came.
        let channel = Channel(rawValue: input.channel)
        var insight = InsightProduced(
            insightId: Self.insightId(sourceId: input.id, rulePackVersion: compiled.pack.version, modelVersion: model?.version),
            transcriptId: input.id, interactionId: input.interactionId, customerId: input.customerId, channel: channel,
            businessLine: input.businessLine, occurredAt: input.occurredAt ?? producedAt, language: language,
            rulePackVersion: compiled.pack.version,
            utterances: input.utterances.indices.map { index in
                let utterance = input.utterances[index]
                return .init(speaker: utterance.speaker, text: redacted[index], startMs: utterance.startMs, endMs: utterance.endMs,
                             sentiment: .init(label: utteranceScores[index].label, score: utteranceScores[index].score))
            },
            pii: findings,
            keywords: top.map { .init(term: $0.term, weight: $0.weight) },
            sentiment: .init(label: overall.label, score: overall.score),
            categories: categories.map { .init(id: $0.id, score: ($0.score * 1000).rounded() / 1000) },
            compliance: compliance.map { finding in
                .init(rule: finding.rule, utteranceIndex: finding.utteranceIndex,
                      evidence: finding.utteranceIndex.map { redacted[$0] } ?? finding.reason, reason: finding.reason)
            },
            profileFacts: facts.map {
                .init(fact: $0.fact, evidence: redacted[$0.utteranceIndex], utteranceIndex: $0.utteranceIndex,
                      confidence: $0.confidence, sensitive: $0.sensitive)
            },
            suitability: extractor.suitability(facts, rules: compiled),
            complaintRisk: risk.value, effort: effort.value, cluster: cluster, producedAt: producedAt,
            analyzerVersion: Self.analyzerVersion(modelVersion: model?.version), complaintSignals: risk.signals, effortSignals: effort.signals)
        insight.context = input.context
        return Analysis(insight: insight, learning: Learning(terms: terms, cluster: update, termIDs: termIDs), features: features,
                        sentimentProbabilities: learned?.sentimentProbabilities, categoryProbabilities: learned?.categoryProbabilities, path: learned?.path)
    }

    /// `yyyy-MM` in China Standard Time (UTC+8, no daylight saving), where the contact centre works.
    static func month(_ date: Date) -> String {
        String(Timestamp.format(date.addingTimeInterval(8 * 3600)).prefix(7))
    }
}
