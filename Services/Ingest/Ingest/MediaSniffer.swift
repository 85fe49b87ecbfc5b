import Foundation

/// Tells a recording's media type from its first bytes: what a gateway declares is not
/// trusted, because the transcriber has to decode what is really there.
struct MediaSniffer {
    struct Media: Equatable, Sendable {
        var mediaType: String
        var fileExtension: String
        /// Video is accepted; later stages use its audio track.
        var isVideo: Bool
    }

    /// What ingest accepts, for error messages and the OpenAPI description.
    static let accepted = "WAV, MP3, AAC (ADTS), M4A/MP4, AMR, AMR-WB, Ogg (Opus/Vorbis), FLAC, WebM"

    static func detect(_ head: [UInt8]) -> Media? {
        func at(_ offset: Int, _ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        if at(0, "RIFF") && at(8, "WAVE") { return Media(mediaType: "audio/wav", fileExtension: "wav", isVideo: false) }
        if at(0, "#!AMR-WB\n") { return Media(mediaType: "audio/amr-wb", fileExtension: "awb", isVideo: false) }
        if at(0, "#!AMR\n") { return Media(mediaType: "audio/amr", fileExtension: "amr", isVideo: false) }
        if at(0, "OggS") { return Media(mediaType: "audio/ogg", fileExtension: "ogg", isVideo: false) }
        if at(0, "fLaC") { return Media(mediaType: "audio/flac", fileExtension: "flac", isVideo: false) }
        if at(0, "ID3") { return Media(mediaType: "audio/mpeg", fileExtension: "mp3", isVideo: false) }
        if at(4, "ftyp") {
            let brand = head.count >= 12 ? String(decoding: head[8..<12], as: UTF8.self) : ""
            if ["M4A ", "M4B ", "M4P ", "F4A "].contains(brand) {
                return Media(mediaType: "audio/mp4", fileExtension: "m4a", isVideo: false)
            }
            return Media(mediaType: "video/mp4", fileExtension: "mp4", isVideo: true)
        }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return Media(mediaType: "video/webm", fileExtension: "webm", isVideo: true) }
        if head.count >= 4, head[0] == 0xFF, head[1] & 0xE0 == 0xE0 {
            let layer = (head[1] >> 1) & 0x03
            if layer == 0, head[1] & 0xF6 == 0xF0 {
                return Media(mediaType: "audio/aac", fileExtension: "aac", isVideo: false)
            }
            // MPEG audio frame: a valid bitrate index and sample-rate index as well.
            let bitrate = head[2] >> 4, sampleRate = (head[2] >> 2) & 0x03
            if layer != 0, bitrate != 0x0F, bitrate != 0, sampleRate != 0x03 {
                return Media(mediaType: "audio/mpeg", fileExtension: "mp3", isVideo: false)
            }
        }
        return nil
    }
}

/// The facts a WAV header gives away for free: channels and duration.
struct WAVInfo: Equatable, Sendable {
    var channels: Int
    var sampleRate: Int
    var durationMs: Int

    /// Parses the RIFF chunks at the start of a WAV file; `nil` when they do not add up.
    /// - Parameter fileSize: The whole file's size: recorders that stream write a
    ///   placeholder data size, and a truncated file has fewer bytes than it claims.
    init?(_ bytes: [UInt8], fileSize: Int64) {
        func u32(_ offset: Int) -> Int? {
            guard offset + 4 <= bytes.count else { return nil }
            return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
        }
        func u16(_ offset: Int) -> Int? {
            guard offset + 2 <= bytes.count else { return nil }
            return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        }
        var offset = 12
        var channels: Int?, sampleRate: Int?, byteRate: Int?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            guard let size = u32(offset + 4) else { return nil }
            if id == "fmt " {
                channels = u16(offset + 10)
                sampleRate = u32(offset + 12)
                byteRate = u32(offset + 16)
            } else if id == "data" {
                guard let channels, let sampleRate, let byteRate, channels > 0, byteRate > 0 else { return nil }
                self.channels = channels
                self.sampleRate = sampleRate
                let present = max(0, Int(fileSize) - (offset + 8))
                self.durationMs = Int((Double(min(size, present)) / Double(byteRate) * 1000).rounded())
                return
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
