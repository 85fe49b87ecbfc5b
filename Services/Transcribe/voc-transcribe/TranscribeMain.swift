import Transcribe
import VOCRuntime

/// `voc-transcribe`: runs the transcribe-adapter until SIGTERM/SIGINT.
@main
struct TranscribeMain {
    static func main() async throws {
        try await ServiceMain.run("voc-transcribe", { (configuration: TranscribeConfiguration, logger) in
            try TranscribeApp.build(configuration: configuration, logger: logger)
        })
    }
}
