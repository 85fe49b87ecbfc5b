import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
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
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw StoreError(code: .migration, message: "analyze migrations are missing from the bundle")
        }
        return try Migration.load(from: folder)
    }

    /// - Throws: ``AnalyzeError`` when jieba's dictionary or the rule file cannot be loaded, ``KafkaError``
    ///   when a Kafka client cannot be configured.
    public static func build(configuration: AnalyzeConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let analyzer = try Analyzer.make(
            rulesURL: configuration.rulesURL(), checkInterval: configuration.rulesCheckInterval, dictionary: configuration.dictionaryURL,
            clusters: ClusterBook(threshold: configuration.clusterThreshold), keywordLimit: configuration.keywordLimit, logger: logger)
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-analyze", source: source, logger: logger)
        let store = configuration.persistState ? Store(configuration: configuration.store, logger: logger) : nil
        let repository = store.map { AnalyzeStateRepository(store: $0) }
        let stage = try StageLoop(
            settings: StageSettings(name: "analyze", topics: [Topic.transcriptReady.rawValue], group: configuration.group,
                                    tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher,
            handler: AnalyzeHandler(analyzer: analyzer, publisher: publisher, state: repository), logger: logger)

        let readiness = Readiness()
        if let store {
            readiness.add("postgres") { (try? await store.client.query("SELECT 1")) != nil }
        }
        let router = Router()
        OperationalRoutes.add(to: router, readiness: readiness)

        let ready = StartupGate()
        var services: [any Service] = []
        if let store { services.append(store) }
        services += [ProducerService(producer: publisher.producer), GatedService(after: ready, run: stage)]
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "voc-analyze"),
            services: services, logger: logger)
        app.beforeServerStarts {
            if let store, let repository {
                try await store.migrate(component: component, try migrations())
                let (corpus, clusters) = try await repository.load()
                analyzer.corpus.restore(corpus)
                analyzer.clusters.restore(clusters)
                logger.info("analyze state loaded", metadata: [
                    "documents": "\(corpus.documents)", "terms": "\(corpus.frequencies.count)",
                    "clusters": "\(clusters.groups.values.reduce(0) { $0 + $1.count })",
                ])
            }
            ready.open()
        }
        return app
    }
}
