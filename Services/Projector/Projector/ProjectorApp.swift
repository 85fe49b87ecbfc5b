import Foundation
import Hummingbird
import Logging
import VOCBlob
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Builds the projector: read models in PostgreSQL, fed from the topics, served over HTTP
/// to callers with a signed read token.
public enum ProjectorApp {
    public static let source = "/voc/projector"
    public static let component = "projector"

    /// The projector's schema changes, shipped as resources of this module.
    public static func migrations() throws -> [Migration] {
        try Migration.bundled(in: .module, component: component)
    }

    /// - Throws: ``ReadTokenError`` without a usable token secret, ``KafkaError`` when a
    ///   Kafka client cannot be configured, ``BlobError`` for an unusable blob store,
    ///   ``ConsoleError`` when the console's templates do not parse.
    public static func build(configuration: ProjectorConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let key = try configuration.tokenKey()
        let store = Store(configuration: configuration.store, logger: logger)
        // Projections publish only dead letters; the producer is theirs alone.
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-projector", source: source, logger: logger)
        var app = ServiceApp(name: "voc-projector", http: configuration.http, logger: logger)
        app.use(store: store, component: component, migrations: try migrations())
        app.use(publisher: publisher)
        ReadAPI<BasicRequestContext>(store: store, auth: ReadAuth(key: key), timeZone: configuration.timeZone,
                                     dueSoon: configuration.slaDueSoon).addRoutes(to: app.router)
        let recordings = RecordingResponder(recordings: RecordingRepository(store: store),
                                            files: RecordingFiles(blobs: try BlobStores.make(configuration.blob),
                                                                  directory: configuration.audioCacheDirectory))
        DigestAPI<BasicRequestContext>(auth: ReadAuth(key: key), digests: DigestRepository(store: store), recordings: recordings,
                                       timeZone: configuration.timeZone, size: configuration.digestSize).addRoutes(to: app.router)
        try Console<BasicRequestContext>(store: store, key: key, recordings: recordings, timeZone: configuration.timeZone,
                                         dueSoon: configuration.slaDueSoon, digestSize: configuration.digestSize,
                                         secureCookie: configuration.consoleSecureCookie).addRoutes(to: app.router)
        let writer = ReadModelWriter(store: store, timeZone: configuration.timeZone, logger: logger)
        app.run(try StageLoop(
            settings: StageSettings(name: ProjectionHandler.stage, topics: ProjectedEvent.topics.map(\.rawValue),
                                    group: configuration.group, tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher,
            handler: ProjectionHandler(writer: writer, publisher: publisher, logger: logger), logger: logger))
        return app.build()
    }
}
