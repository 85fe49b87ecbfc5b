import Foundation
import Testing
import VOCTestSupport
@testable import Ingest

@Suite("Telling recordings apart by their bytes")
struct MediaTests {
    @Test("each accepted format is recognised from its first bytes")
    func sniffing() {
        let cases: [([UInt8], String?)] = [
            (TestAudio.wav(), "audio/wav"),
            (Array("ID3\u{03}\0\0\0\0\0\0".utf8), "audio/mpeg"),
            ([0xFF, 0xFB, 0x90, 0x64, 0, 0], "audio/mpeg"),
            ([0xFF, 0xF1, 0x50, 0x80, 0, 0], "audio/aac"),
            ([0, 0, 0, 0x20] + Array("ftypM4A \0\0\0\0".utf8), "audio/mp4"),
            ([0, 0, 0, 0x20] + Array("ftypisom\0\0\0\0".utf8), "video/mp4"),
            (Array("#!AMR\n".utf8) + [0x3C], "audio/amr"),
            (Array("#!AMR-WB\n".utf8), "audio/amr-wb"),
            (Array("OggS\0\u{02}".utf8), "audio/ogg"),
            (Array("fLaC\0".utf8), "audio/flac"),
            ([0x1A, 0x45, 0xDF, 0xA3, 0x9F], "video/webm"),
            (Array("%PDF-1.7".utf8), nil),
            (Array("hello, this is text".utf8), nil),
            ([0xFF, 0xFF, 0xFF, 0xFF], nil),
            ([], nil),
        ]
        for (bytes, expected) in cases {
            #expect(MediaSniffer.detect(bytes)?.mediaType == expected, "\(bytes.prefix(8))")
        }
        #expect(MediaSniffer.detect([0x1A, 0x45, 0xDF, 0xA3])?.isVideo == true)
        #expect(MediaSniffer.detect(TestAudio.wav())?.isVideo == false)
    }

    @Test("a WAV header gives channels and duration; a truncated file counts only the bytes present")
    func wavHeader() throws {
        let stereo = TestAudio.wav(channels: 2, sampleRate: 8_000, milliseconds: 1_500)
        let info = try #require(WAVInfo(stereo, fileSize: Int64(stereo.count)))
        #expect(info.channels == 2 && info.sampleRate == 8_000 && info.durationMs == 1_500)
        let mono = TestAudio.wav(channels: 1, sampleRate: 16_000, milliseconds: 250)
        #expect(WAVInfo(mono, fileSize: Int64(mono.count))?.durationMs == 250)
        // Half the samples missing: the header's size is not believed.
        let truncated = Array(stereo.prefix(44 + 8_000 * 4 / 2))
        #expect(WAVInfo(truncated, fileSize: Int64(truncated.count))?.durationMs == 500)
        #expect(WAVInfo(Array("RIFF\0\0\0\0WAVEjunk".utf8), fileSize: 16) == nil)
    }

    @Test("multipart boundaries and part names are read from their headers")
    func multipartHeaders() {
        #expect(MultipartReader.boundary("multipart/form-data; boundary=----abc123") == "----abc123")
        #expect(MultipartReader.boundary("multipart/form-data; charset=utf-8; boundary=\"q b\"") == "q b")
        #expect(MultipartReader.boundary("multipart/form-data") == nil)
        #expect(MultipartReader.parameter("name", in: "form-data; name=\"audio\"; filename=\"call.wav\"") == "audio")
        #expect(MultipartReader.parameter("filename", in: "form-data; name=audio; filename=call.wav") == "call.wav")
    }

    @Test("blob keys are dated folders named by interaction")
    func blobKeys() {
        let media = MediaSniffer.Media(mediaType: "audio/wav", fileExtension: "wav", isVideo: false)
        let key = RecordingController.blobKey(interactionId: "abc", media: media, date: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(key == "audio/2026/11/18/abc.wav")
    }
}
