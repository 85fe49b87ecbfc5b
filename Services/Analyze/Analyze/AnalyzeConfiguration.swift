import Configuration
import Foundation
import VOCRuntime
import VOCStore

/// Every setting of analyze (documented in docs/configuration.md).
public struct AnalyzeConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    public var group: String
    /// The rule file; empty: the default finance pack shipped with the module.
    public var rulesPath: String
    /// How often the rule file's modification time is checked.
    public var rulesCheckInterval: Duration
    /// The learned model file; empty: the default model shipped with the module.
    public var modelPath: String
    /// Let the learned model decide sentiment and categories (false: the rules and the lexicon alone).
    public var useModel: Bool
    /// The e5 weight file of the model's embedding head; empty: the bundled one.
    public var embeddingPath: String = ""
    /// A folder with jieba's `jieba.dict.utf8` and `hmm_model.utf8`; empty: the bundled one.
    public var jiebaDictionary: String
    /// Keywords per insight.
    public var keywordLimit: Int
    /// Cosine similarity a complaint needs to join a cluster.
    public var clusterThreshold: Double
    /// Keep corpus frequencies and clusters in PostgreSQL (else in memory only).
    public var persistState: Bool
    public var store: StoreConfiguration

    /// - Throws: ``StoreError`` for a malformed `postgres.url`, ``SecretFile/Refusal`` for a shared `postgres.passwordFile`.
    public init(config: ConfigReader) throws {
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8082)
        group = config.string(forKey: "analyze.group", default: "voc-analyze")
        rulesPath = config.string(forKey: "analyze.rulesPath", default: "")
        rulesCheckInterval = .milliseconds(config.int(forKey: "analyze.rulesCheckIntervalMs", default: 2_000))
        modelPath = config.string(forKey: "analyze.modelPath", default: "")
        useModel = config.bool(forKey: "analyze.useModel", default: true)
        embeddingPath = config.string(forKey: "analyze.embeddingPath", default: "")
        jiebaDictionary = config.string(forKey: "analyze.jiebaDictionary", default: "")
        keywordLimit = max(1, config.int(forKey: "analyze.keywords", default: 8))
        clusterThreshold = config.double(forKey: "analyze.clusterThreshold", default: 0.3)
        persistState = config.bool(forKey: "analyze.persistState", default: true)
        store = try StoreConfiguration(config: config, role: .analyze)
    }

    public init(common: CommonSettings, store: StoreConfiguration, http: HTTPSettings = HTTPSettings(port: 0),
                group: String = "voc-analyze", rulesPath: String = "", rulesCheckInterval: Duration = .seconds(2),
                jiebaDictionary: String = "", keywordLimit: Int = 8, clusterThreshold: Double = 0.3,
                persistState: Bool = true, modelPath: String = "", useModel: Bool = true) {
        self.modelPath = modelPath
        self.useModel = useModel
        self.common = common
        self.store = store
        self.http = http
        self.group = group
        self.rulesPath = rulesPath
        self.rulesCheckInterval = rulesCheckInterval
        self.jiebaDictionary = jiebaDictionary
        self.keywordLimit = keywordLimit
        self.clusterThreshold = clusterThreshold
        self.persistState = persistState
    }

    /// jieba's dictionary folder: `jiebaDictionary`, or nil for the bundled one.
    public var dictionaryURL: URL? {
        jiebaDictionary.isEmpty ? nil : URL(fileURLWithPath: jiebaDictionary, isDirectory: true)
    }

    /// The model file to load: `modelPath`, or the bundled one; nil when `useModel` is off.
    /// - Throws: ``AnalyzeError`` when the model is wanted and none exists.
    public func modelURL() throws(AnalyzeError) -> URL? {
        guard useModel else { return nil }
        if !modelPath.isEmpty { return URL(fileURLWithPath: modelPath) }
        guard let url = LinearModel.bundledURL() else {
            throw AnalyzeError(.model, "the bundled model is missing; set analyze.modelPath or analyze.useModel=false")
        }
        return url
    }

    /// `analyze.embeddingPath` `off`: the linear model decides every document, for a volume
    /// the e5 path cannot keep up with. Every replica of a group must agree: the insight id
    /// names the model file, not whether its slow path ran.
    public var embeddingEnabled: Bool { embeddingPath != "off" }

    /// The e5 weight file: `embeddingPath`, or nil for the bundled one.
    public var embeddingURL: URL? {
        embeddingPath.isEmpty || !embeddingEnabled ? nil : URL(fileURLWithPath: embeddingPath)
    }

    /// The rule file to load: `rulesPath`, or the bundled finance pack.
    /// - Throws: ``AnalyzeError`` when neither exists.
    public func rulesURL() throws(AnalyzeError) -> URL {
        if !rulesPath.isEmpty { return URL(fileURLWithPath: rulesPath) }
        guard let url = CompiledRules.bundledURL() else {
            throw AnalyzeError(.rulePack, "the bundled finance rule pack is missing; set analyze.rulesPath")
        }
        return url
    }
}

extension AnalyzeConfiguration: ServiceConfiguration {}
