using Provisioner.Core.Instances;
using Provisioner.Core.Webhooks;

namespace Provisioner.Tests.Unit.Core.Webhooks;

public sealed class WebhookEventTypesTests
{
    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void For_AnInterruption_IsInstanceInterrupted_AndAnyOtherFailureInstanceFailed()
    {
        var interrupted = new InstanceEvent(Id, InstanceStatus.Ready, InstanceStatus.Failed, DateTimeOffset.UnixEpoch, "Interrupted: AWS reports machine i-1 Server.SpotInstanceTermination: reclaimed");
        var failed = new InstanceEvent(Id, InstanceStatus.Provisioning, InstanceStatus.Failed, DateTimeOffset.UnixEpoch, "Unauthorized: AWS returned UnauthorizedOperation: no");

        WebhookEventTypes.For(interrupted).Should().Be(WebhookEventTypes.Interrupted);
        WebhookEventTypes.For(failed).Should().Be(WebhookEventTypes.Failed);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(new[] { "instance.failed" }, true)]
    [InlineData(new[] { "instance.interrupted" }, true)]
    [InlineData(new[] { "*" }, true)]
    [InlineData(new[] { "instance.ready", "instance.terminated" }, false)]
    public void Includes_AnInterruption_ForSubscriptionsToItOrToFailures(string[]? subscribed, bool expected) =>
        WebhookEventTypes.Includes(subscribed, WebhookEventTypes.Interrupted).Should().Be(expected);

    [Fact]
    public void Known_ListsInterrupted_SoASubscriptionMayNameIt() =>
        WebhookEventTypes.Known.Should().Contain(WebhookEventTypes.Interrupted);
}
