using System.Text;
using Provisioner.Tests.Fakes.Ec2;

namespace Provisioner.Tests.Unit.Core.Providers.Aws;

/// <summary>The local EC2's signature check, against the published test vector (shared/reference/cloud-apis.md §1.2).</summary>
public sealed class SigV4VerifierTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Action=DescribeInstances&Version=2016-11-15");
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static Dictionary<string, string> Headers(string signature) => new()
    {
        ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
        ["host"] = "ec2.us-east-1.amazonaws.com",
        ["x-amz-date"] = "20150830T123600Z",
        ["authorization"] = $"AWS4-HMAC-SHA256 Credential={AccessKey}/20150830/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature={signature}",
    };

    [Fact]
    public void Sign_ReproducesThePublishedSignature() =>
        SigV4Verifier.Sign("POST", "/", "", Headers("x"), "content-type;host;x-amz-date", Body, Secret, "20150830T123600Z", "20150830", "us-east-1", "ec2")
            .Should().Be("16bec6625521eb1b2a944bb8409fdd5a54007d61862cf7074d07d2e75a3a4950");

    [Fact]
    public void Verify_TheSignedRequest_Passes() =>
        SigV4Verifier.Verify("POST", "/", "", Headers("16bec6625521eb1b2a944bb8409fdd5a54007d61862cf7074d07d2e75a3a4950"), Body, AccessKey, Secret, "ec2", SignedAt)
            .Should().BeNull();

    [Fact]
    public void Verify_WrongSecretOrTamperedBody_IsAuthFailure()
    {
        var headers = Headers("16bec6625521eb1b2a944bb8409fdd5a54007d61862cf7074d07d2e75a3a4950");

        SigV4Verifier.Verify("POST", "/", "", headers, Body, AccessKey, Secret + "x", "ec2", SignedAt).Should().Be("AuthFailure");
        SigV4Verifier.Verify("POST", "/", "", headers, Encoding.UTF8.GetBytes("Action=TerminateInstances&Version=2016-11-15"), AccessKey, Secret, "ec2", SignedAt)
            .Should().Be("AuthFailure");
    }

    [Fact]
    public void Verify_StaleOrUnsigned_IsRefused()
    {
        var headers = Headers("16bec6625521eb1b2a944bb8409fdd5a54007d61862cf7074d07d2e75a3a4950");

        SigV4Verifier.Verify("POST", "/", "", headers, Body, AccessKey, Secret, "ec2", SignedAt.AddMinutes(16)).Should().Be("RequestExpired");
        headers.Remove("authorization");
        SigV4Verifier.Verify("POST", "/", "", headers, Body, AccessKey, Secret, "ec2", SignedAt).Should().Be("MissingAuthenticationToken");
    }
}
