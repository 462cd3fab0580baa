using System.Text.Json;
using Provisioner.Client.Webhooks;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Unit.Client;

/// <summary>
/// The client's verifier against the API's own signer: what the API signs verifies, during a rotation too; a changed
/// body, an unknown secret, a missing header or an old timestamp does not.
/// </summary>
public sealed class WebhookVerifierTests
{
    private readonly ManualClock _clock = new();
    private readonly string _secret = WebhookSecret.Generate();

    private (string Id, string Timestamp, string Body) Message(Guid instanceId)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var body = JsonSerializer.Serialize(new WebhookEventBody(id, "instance.ready", _clock.GetUtcNow(),
            new { id = instanceId, status = "READY", userId = "u" }), Provisioner.Core.Hosting.ProvisionerJson.Options);
        return (id, _clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body);
    }

    [Fact]
    public void Verify_WhatTheApiSigned_ParsesTheEventAndItsInstance()
    {
        var instanceId = Guid.NewGuid();
        var (id, timestamp, body) = Message(instanceId);
        var sut = new WebhookVerifier(_secret, _clock);

        var verified = sut.Verify(id, timestamp, WebhookSigner.Sign([_secret], id, long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), body), body);

        (verified.Id, verified.Type, verified.InstanceId, verified.Instance!.Status).Should().Be((id, "instance.ready", instanceId, "READY"));
    }

    [Fact]
    public void Verify_DuringARotation_AcceptsEitherSignature()
    {
        var (id, timestamp, body) = Message(Guid.NewGuid());
        var newer = WebhookSecret.Generate();
        var signature = WebhookSigner.Sign([newer, _secret], id, long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), body);

        new WebhookVerifier(_secret, _clock).TryVerify(id, timestamp, signature, body, out _).Should().BeTrue();
        new WebhookVerifier(newer, _clock).TryVerify(id, timestamp, signature, body, out _).Should().BeTrue();
    }

    [Fact]
    public void Verify_ChangedBody_OtherSecret_MissingHeader_OrOldTimestamp_IsRefused()
    {
        var (id, timestamp, body) = Message(Guid.NewGuid());
        var signature = WebhookSigner.Sign([_secret], id, long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), body);
        var sut = new WebhookVerifier(_secret, _clock);

        sut.TryVerify(id, timestamp, signature, body.Replace("READY", "FAILED", StringComparison.Ordinal), out _).Should().BeFalse();
        new WebhookVerifier(WebhookSecret.Generate(), _clock).TryVerify(id, timestamp, signature, body, out _).Should().BeFalse();
        sut.TryVerify(id, null, signature, body, out _).Should().BeFalse();
        sut.TryVerify("msg_other", timestamp, signature, body, out _).Should().BeFalse();
        _clock.Advance(TimeSpan.FromMinutes(6));
        FluentActions.Invoking(() => sut.Verify(id, timestamp, signature, body)).Should().Throw<WebhookVerificationException>().WithMessage("*replay*");
    }
}
