import Foundation
import Configuration
import Hummingbird
import Logging

/// What a service's configuration offers the process that runs it.
public protocol ServiceConfiguration {
    /// Reads the service's keys (defaults < `VOC_CONFIG` file < `VOC_*` environment < flags).
    init(config: ConfigReader) throws
    var common: CommonSettings { get }
}

/// The body of every thin `voc-<service>` executable.
public enum ServiceMain {
    /// Reads the configuration, bootstraps logging and metrics, builds the service and
    /// runs it until SIGTERM/SIGINT.
    /// - Parameter name: the executable's name, also its logger's label.
    public static func run<Configuration: ServiceConfiguration, App: ApplicationProtocol>(
        _ name: String, _ build: @Sendable (Configuration, Logger) throws -> App
    ) async throws {
        // An error that reached `main` would end the process as a crash, with a backtrace
        // burying the one line that matters (a port in use, a malformed setting).
        do {
            let configuration = try Configuration(config: try await Settings.reader())
            Observability.bootstrap(logLevel: configuration.common.logLevel)
            try await build(configuration, Logger(label: name)).runService()
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(1)
        }
    }
}
