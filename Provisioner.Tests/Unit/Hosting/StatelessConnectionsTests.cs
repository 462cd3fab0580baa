using FluentAssertions;
using Npgsql;
using Provisioner.Hosting.Connections;

namespace Provisioner.Tests.Unit.Hosting;

/// <summary>A pool without session state prepares its statements and skips the connection reset, unless the operator's connection string decides.</summary>
public sealed class StatelessConnectionsTests
{
    private static NpgsqlConnectionStringBuilder Tuned(string connectionString)
    {
        var sut = new NpgsqlConnectionStringBuilder(connectionString);
        StatelessConnections.Tune(sut);
        return sut;
    }

    [Fact]
    public void Tune_PlainConnectionString_PreparesStatements_AndSkipsTheReset()
    {
        var tuned = Tuned("Host=db;Username=app;Maximum Pool Size=20");

        tuned.MaxAutoPrepare.Should().Be(PreparedStatements.MaxAutoPrepare);
        tuned.NoResetOnClose.Should().BeTrue();
        tuned.MaxPoolSize.Should().Be(20, "the rest of the string is kept");
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;noresetonclose=false")]
    public void Tune_ConnectionStringThatSetsThem_IsLeftAsItSays(string connectionString)
    {
        var tuned = Tuned(connectionString);

        tuned.MaxAutoPrepare.Should().Be(0, "a pooler without prepared statements needs them off");
        tuned.NoResetOnClose.Should().BeFalse();
    }
}
