import Foundation
import Testing
import VOCBlob

@Suite("SigV4 request signing")
struct SigV4Tests {
    /// The worked example of AWS's "Signature Version 4 — examples: GET object" page.
    @Test("the signature matches AWS's published example")
    func awsExample() {
        let signer = SigV4Signer(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                 secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let headers = signer.sign(method: "GET", path: "/test.txt",
                                  headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
                                  payloadSHA256: SigV4Signer.emptyPayloadSHA256, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("keys are percent-encoded per RFC 3986, slashes kept in paths")
    func encoding() {
        #expect(SigV4Signer.encode("audio/2026/a b+c.wav", keepSlash: true) == "audio/2026/a%20b%2Bc.wav")
        #expect(SigV4Signer.encode("a/b") == "a%2Fb")
        #expect(SigV4Signer.encode("语音") == "%E8%AF%AD%E9%9F%B3")
    }
}
