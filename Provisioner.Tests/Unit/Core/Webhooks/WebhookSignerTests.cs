using Provisioner.Core.Webhooks;

namespace Provisioner.Tests.Unit.Core.Webhooks;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Sign_StandardWebhooksExample_MatchesThePublishedSignature()
    {
        // The example in the Standard Webhooks specification (standardwebhooks.com).
        var signature = WebhookSigner.Sign(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        signature.Should().Be("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public void Sign_TwoSecrets_GivesOneSignatureEach_CurrentFirst()
    {
        var (current, previous) = (WebhookSecret.Generate(), WebhookSecret.Generate());

        var signature = WebhookSigner.Sign([current, previous], "msg_1", 1700000000, "{}");

        signature.Split(' ').Should().Equal(WebhookSigner.Sign([current], "msg_1", 1700000000, "{}"), WebhookSigner.Sign([previous], "msg_1", 1700000000, "{}"));
    }

    [Fact]
    public void SigningSecrets_AfterTheRotationOverlap_OnlyTheNewSecret()
    {
        var start = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        var webhook = TenantWebhook.Create("tenant-a", start);
        var first = webhook.Secret;

        webhook.RotateSecret(TimeSpan.FromHours(1), start.AddDays(1));

        webhook.SigningSecrets(start.AddDays(1).AddMinutes(59)).Should().Equal(webhook.Secret, first);
        webhook.SigningSecrets(start.AddDays(1).AddHours(1)).Should().Equal(webhook.Secret);
    }
}
