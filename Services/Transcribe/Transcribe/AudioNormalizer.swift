import Foundation
import VOCProcess

/// Turns any recording ffmpeg reads (WAV, MP3, AAC/M4A, Opus, AMR, video files…) into
/// 16 kHz 16-bit PCM, keeping the two channels of a stereo call apart.
public struct AudioNormalizer: Sendable {
    public var ffmpegPath: String
    public var ffprobePath: String

    public init(ffmpeg: String = "ffmpeg", ffprobe: String = "ffprobe") {
        ffmpegPath = ffmpeg
        ffprobePath = ffprobe
    }

    /// Decodes `path`.
    /// - Parameters:
    ///   - path: the recording.
    ///   - keepStereo: keep the first two channels apart; otherwise mix down to mono.
    ///   - workFolder: where the decoded samples are written for a moment.
    /// - Throws: ``TranscribeError/Code/audioCorrupt`` when ffmpeg cannot decode it,
    ///   ``TranscribeError/Code/toolFailed`` when ffmpeg cannot be run.
    public func decode(_ path: String, keepStereo: Bool, workFolder: String) async throws(TranscribeError) -> PCMAudio {
        let channels = keepStereo ? min(2, try await channelCount(path)) : 1
        let rawPath = workFolder + "/decoded-\(UUID().uuidString).s16le"
        defer { unlink(rawPath) }
        let ffmpeg = try executable(ffmpegPath)
        let result = await ChildProcess.runInBackground([
            ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", path, "-vn", "-map", "0:a:0",
            "-ac", "\(channels)", "-ar", "\(PCMAudio.sampleRate)", "-acodec", "pcm_s16le", "-f", "s16le", rawPath,
        ])
        guard let result else { throw TranscribeError(.toolFailed, "cannot start \(ffmpeg)") }
        guard result.status == 0 else {
            throw TranscribeError(.audioCorrupt, "ffmpeg cannot decode the recording: \(MediaProbe.lastLines(result.output))")
        }
        guard let data = FileManager.default.contents(atPath: rawPath), !data.isEmpty else {
            throw TranscribeError(.audioCorrupt, "the recording holds no audio samples")
        }
        return PCMAudio(interleavedS16LE: data, channelCount: channels)
    }

    /// The channel count of the first audio stream.
    func channelCount(_ path: String) async throws(TranscribeError) -> Int {
        switch await MediaProbe.probe(path, ffprobe: ffprobePath) {
        case .success(let facts): return facts.channels
        case .failure(.toolMissing(let reason)): throw TranscribeError(.toolFailed, reason)
        case .failure(.unreadable(let said)): throw TranscribeError(.audioCorrupt, "ffprobe cannot read the recording: \(said)")
        }
    }

    private func executable(_ name: String) throws(TranscribeError) -> String {
        guard let path = ChildProcess.resolve(name) else {
            throw TranscribeError(.toolFailed, "\(name) is not installed (apt-get install ffmpeg)")
        }
        return path
    }

}
