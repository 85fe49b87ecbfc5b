import Hummingbird
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema

/// Builds the transcribe-adapter: the stage, its producer, `/healthz` `/readyz`
/// `/metrics`, and, when configured, the supervised local speech engine.
public enum TranscribeApp {
    public static let source = "/voc/transcribe"

    /// - Parameter audio: where recordings are read; by default `file://` and, with
    ///   `blob.store=s3`, the shared S3 store.
    /// - Throws: ``KafkaError`` when a Kafka client cannot be configured, ``TranscribeError``
    ///   for an unknown engine or an unreadable vocabulary file.
    public static func build(configuration: TranscribeConfiguration, audio: (any AudioSource)? = nil,
                             logger: Logger) throws -> some ApplicationProtocol {
        let audio = try audio ?? AudioSources.standard(configuration.blob)
        let settings = try EngineCatalog.settings(named: configuration.engine, configuration: configuration)
        let transcriber = try EngineCatalog.transcriber(named: configuration.engine, configuration: configuration, logger: logger)
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-transcribe", source: source, logger: logger)
        let handler = TranscribeHandler(publisher: publisher, transcriber: transcriber, audio: audio, configuration: configuration,
                                        engineName: settings.name, logger: logger)
        let stage = try StageLoop(
            settings: StageSettings(name: "transcribe", topics: [Topic.interactionReceived.rawValue], group: configuration.group,
                                    tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher, handler: handler, logger: logger)

        var app = ServiceApp(name: "voc-transcribe", http: configuration.http, logger: logger)
        app.use(publisher: publisher)
        // Listed before the stage, so it stops after it: the engine's connections close last.
        app.runAtOnce(EngineClientService(transcriber: transcriber))
        if let engine = transcriber.engine as? OpenAICompatibleEngine {
            app.readiness.add("engine") { !engine.circuit.snapshot.isOpen }
        }
        if configuration.engine == "local" && configuration.local.supervise {
            let server = LocalWhisperServer(settings: configuration.local, logger: logger)
            app.runAtOnce(server)
            app.run(GatedService(after: server.ready, run: stage))
        } else {
            app.run(stage)
        }
        return app.build()
    }
}

/// Closes the engine client's connections at shutdown.
struct EngineClientService: Service {
    let transcriber: Transcriber

    func run() async throws {
        try? await gracefulShutdown()
        await transcriber.shutdown()
    }
}
