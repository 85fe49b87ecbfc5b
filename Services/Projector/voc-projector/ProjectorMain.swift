import Hummingbird
import Logging
import Projector
import VOCRuntime

/// `voc-projector`: reads configuration and runs the projector until SIGTERM/SIGINT.
@main
struct ProjectorMain {
    static func main() async throws {
        let config = try await Settings.reader()
        let configuration = try ProjectorConfiguration(config: config)
        Observability.bootstrap(logLevel: configuration.common.logLevel)
        let app = try ProjectorApp.build(configuration: configuration, logger: Logger(label: "voc-projector"))
        try await app.runService()
    }
}
