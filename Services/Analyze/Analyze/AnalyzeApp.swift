import Foundation
import Hummingbird
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Builds analyze: the stage from transcripts to insights, its state in PostgreSQL
/// (unless `analyze.persistState` is off), and the operational HTTP routes.
public enum AnalyzeApp {
    public static let source = "/voc/analyze"
    public static let component = "analyze"

    /// Analyze's schema changes, shipped as resources of this module.
    public static func migrations() throws -> [Migration] {
        try Migration.bundled(in: .module, component: component)
    }

    /// - Throws: ``AnalyzeError`` when jieba's dictionary, the rule file or the model cannot be loaded, ``KafkaError``
    ///   when a Kafka client cannot be configured.
    public static func build(configuration: AnalyzeConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let analyzer = try Analyzer.make(
            rulesURL: configuration.rulesURL(), modelURL: configuration.modelURL(), checkInterval: configuration.rulesCheckInterval, dictionary: configuration.dictionaryURL,
            clusters: ClusterBook(threshold: configuration.clusterThreshold), keywordLimit: configuration.keywordLimit,
            embeddingURL: configuration.embeddingURL, embedding: configuration.embeddingEnabled, logger: logger)
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-analyze", source: source, logger: logger)
        var app = ServiceApp(name: "voc-analyze", http: configuration.http, logger: logger)
        app.use(publisher: publisher)
        var repository: AnalyzeStateRepository?
        if configuration.persistState {
            let store = Store(configuration: configuration.store, logger: logger)
            let state = AnalyzeStateRepository(store: store)
            app.use(store: store, component: component, migrations: try migrations())
            app.beforeStart {
                let (corpus, clusters) = try await state.load()
                analyzer.corpus.restore(corpus)
                analyzer.clusters.restore(clusters)
                logger.info("analyze state loaded", metadata: [
                    "documents": "\(corpus.documents)", "terms": "\(corpus.frequencies.count)",
                    "clusters": "\(clusters.groups.values.reduce(0) { $0 + $1.count })",
                ])
            }
            repository = state
        }
        app.run(try StageLoop(
            settings: StageSettings(name: "analyze", topics: [Topic.transcriptReady.rawValue], group: configuration.group,
                                    tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher,
            handler: AnalyzeHandler(analyzer: analyzer, publisher: publisher, state: repository), logger: logger))
        return app.build()
    }
}
