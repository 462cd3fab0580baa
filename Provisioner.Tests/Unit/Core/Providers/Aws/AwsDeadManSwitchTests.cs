using System.Text;
using Provisioner.Core.Providers.Aws;

namespace Provisioner.Tests.Unit.Core.Providers.Aws;

public sealed class AwsDeadManSwitchTests
{
    [Fact]
    public void UserData_PowersOffAtTheDeadlineAndKeepsTheUsersScript()
    {
        var deadline = new DateTimeOffset(2026, 11, 22, 13, 10, 0, TimeSpan.Zero);

        var text = Encoding.UTF8.GetString(Convert.FromBase64String(AwsDeadManSwitch.UserData(deadline, "#!/bin/sh\necho hello")));

        text.Should().StartWith("Content-Type: multipart/mixed");
        text.Should().Contain($"{deadline.ToUnixTimeSeconds()} - $(date +%s)", "the delay is computed on the machine, from its own clock");
        text.Should().Contain("shutdown -P");
        text.Should().Contain("echo hello");
        text.Should().EndWith("--PROVISIONER--\n");
    }
}
