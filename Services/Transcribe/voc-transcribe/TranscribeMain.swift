import Hummingbird
import Logging
import Transcribe
import VOCRuntime

/// `voc-transcribe`: reads configuration and runs the transcribe-adapter until SIGTERM/SIGINT.
@main
struct TranscribeMain {
    static func main() async throws {
        let config = try await Settings.reader()
        let configuration = try TranscribeConfiguration(config: config)
        Observability.bootstrap(logLevel: configuration.common.logLevel)
        let app = try TranscribeApp.build(configuration: configuration, logger: Logger(label: "voc-transcribe"))
        try await app.runService()
    }
}
