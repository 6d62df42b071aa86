# McpGrains.Host: one image for every role (all | silo | frontend) and for the `migrate` command.
#   docker build -t mcpgrains .        (compose.yaml builds it for you)
# global.json is not copied: it pins an exact SDK feature band for developer machines; the SDK image tag pins it here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
# The migrator embeds the schema from infra/postgres.
COPY infra/postgres/ infra/postgres/
COPY src/ src/
RUN dotnet restore src/McpGrains.Host/McpGrains.Host.csproj
RUN dotnet publish src/McpGrains.Host/McpGrains.Host.csproj --no-restore -c Release -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health checks in compose.yaml (GET /health/ready).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# HTTP (REST, /oauth/callback, /mcp, health), Orleans silo-to-silo, Orleans gateway (front ends connect here).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080 11111 30000
USER $APP_UID
ENTRYPOINT ["dotnet", "McpGrains.Host.dll"]
