/**
 * Traces to Application Insights through the Azure Monitor OpenTelemetry distro, only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set. The distro is loaded with require on
 * demand: a deployment without it never loads the SDK, and its load time stays off the
 * cold start of one that does not trace.
 *
 * index.ts calls startTelemetry before it loads the app, so the HTTP instrumentation is in
 * place before restify and the Graph transport take `http`/`https`. What the distro then
 * records: the incoming HTTP requests, outgoing HTTP (Graph, Bot Connector, token endpoint)
 * with URLs redacted (urlRedaction.ts), and the bot's own turn and Graph spans (tracing.ts).
 */
import { createRequire } from 'node:module';
import { adoptApi, TRACER_NAME, type OtelApi } from './tracing';
import { UrlRedactingSpanProcessor } from './urlRedaction';

export interface TelemetryConfig {
  /** Application Insights connection string; absent = no telemetry, no SDK loaded. */
  connectionString?: string;
  /** `service.name` of the traces (Application Insights' cloud role name). */
  serviceName: string;
}

/** The slice of @azure/monitor-opentelemetry used here (tests pass a stand-in). */
export interface AzureMonitorDistro {
  useAzureMonitor(options: AzureMonitorOptions): void;
  shutdownAzureMonitor(): Promise<void>;
  /** The @opentelemetry/api copy the distro registers its providers through. */
  api: OtelApi;
  /** `resourceFromAttributes` of the distro's @opentelemetry/resources. */
  resourceFromAttributes(attributes: Record<string, string>): unknown;
}

/** What startTelemetry gives useAzureMonitor: a subset of AzureMonitorOpenTelemetryOptions. */
export interface AzureMonitorOptions {
  azureMonitorExporterOptions: { connectionString: string };
  resource: unknown;
  spanProcessors: UrlRedactingSpanProcessor[];
  instrumentationOptions: { http: { enabled: boolean } };
}

export interface RunningTelemetry {
  enabled: boolean;
  /** Flushes what is buffered; resolves at once when telemetry is off. */
  shutdown(): Promise<void>;
}

export interface StartTelemetryOptions {
  /** Tests: instead of requiring @azure/monitor-opentelemetry. */
  loadDistro?: () => AzureMonitorDistro;
}

export const DEFAULT_SERVICE_NAME = TRACER_NAME;

export function startTelemetry(config: TelemetryConfig, options: StartTelemetryOptions = {}): RunningTelemetry {
  if (!config.connectionString) return { enabled: false, shutdown: () => Promise.resolve() };
  const distro = (options.loadDistro ?? loadAzureMonitorDistro)();
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: config.connectionString },
    resource: distro.resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new UrlRedactingSpanProcessor()],
    instrumentationOptions: { http: { enabled: true } },
  });
  adoptApi(distro.api);
  return { enabled: true, shutdown: () => distro.shutdownAzureMonitor() };
}

function loadAzureMonitorDistro(): AzureMonitorDistro {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when telemetry is configured */
  const distro = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  // The distro's own copies, wherever npm put them (nested under it, or hoisted).
  const fromDistro = createRequire(require.resolve('@azure/monitor-opentelemetry'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const resources = fromDistro('@opentelemetry/resources') as { resourceFromAttributes(a: Record<string, string>): unknown };
  return {
    useAzureMonitor: (o) => distro.useAzureMonitor(o as Parameters<typeof distro.useAzureMonitor>[0]),
    shutdownAzureMonitor: () => distro.shutdownAzureMonitor(),
    api: fromDistro('@opentelemetry/api') as OtelApi,
    resourceFromAttributes: (a) => resources.resourceFromAttributes(a),
  };
}
