import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type {
  CreatedWebhookEndpoint,
  CreateWebhookInput,
  Page,
  ResponseBody,
  RotateWebhookSecretInput,
  UpdateWebhookInput,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryListQuery,
  WebhookEndpoint,
  WebhookListQuery,
  WebhookSecret,
} from '../types.js';
import { APIResource } from './resource.js';

/** `/api/webhooks`: endpoints that receive signed events, and their delivery log (admins). */
export class Webhooks extends APIResource {
  /** The event types an endpoint can subscribe to. */
  eventTypes(options?: RequestOptions): Promise<ResponseBody<'listWebhookEventTypes'>> {
    return this.http.request({ method: 'GET', path: '/api/webhooks/event-types', options });
  }

  /** One page of endpoints. */
  list(query?: WebhookListQuery, options?: RequestOptions): Promise<Page<WebhookEndpoint>> {
    return this.http.request({ method: 'GET', path: '/api/webhooks', query, options });
  }

  /** Adds an endpoint; the answer's `secret` (`whsec_…`) is what {@link verifyWebhook} needs. */
  create(input: CreateWebhookInput, options?: RequestOptions): Promise<CreatedWebhookEndpoint> {
    return this.http.request({ method: 'POST', path: '/api/webhooks', body: input, options });
  }

  /** One endpoint by id. */
  get(id: number, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.http.request({ method: 'GET', path: path`/api/webhooks/${id}`, options });
  }

  /** Changes an endpoint (URL, event types, enabled…). */
  update(id: number, input: UpdateWebhookInput, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.http.request({ method: 'PATCH', path: path`/api/webhooks/${id}`, body: input, options });
  }

  /** Deletes an endpoint. */
  remove(id: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/webhooks/${id}`, options });
  }

  /** The endpoint's signing secret (and the previous one during a rotation). */
  secret(id: number, options?: RequestOptions): Promise<WebhookSecret> {
    return this.http.request({ method: 'GET', path: path`/api/webhooks/${id}/secret`, options });
  }

  /** A new secret; the old one keeps signing too for `overlapSeconds`. */
  rotateSecret(id: number, input: RotateWebhookSecretInput = {}, options?: RequestOptions): Promise<WebhookSecret> {
    return this.http.request({ method: 'POST', path: path`/api/webhooks/${id}/rotate-secret`, body: input, options });
  }

  /** Sends a test event to the endpoint. */
  test(id: number, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.http.request({ method: 'POST', path: path`/api/webhooks/${id}/test`, options });
  }

  /** One page of the endpoint's deliveries, newest first. */
  deliveries(id: number, query?: WebhookDeliveryListQuery, options?: RequestOptions): Promise<Page<WebhookDelivery>> {
    return this.http.request({ method: 'GET', path: path`/api/webhooks/${id}/deliveries`, query, options });
  }

  /** One delivery with its attempts. */
  delivery(id: number, deliveryId: number, options?: RequestOptions): Promise<WebhookDeliveryDetail> {
    return this.http.request({ method: 'GET', path: path`/api/webhooks/${id}/deliveries/${deliveryId}`, options });
  }

  /** Sends a delivery again. */
  resend(id: number, deliveryId: number, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.http.request({ method: 'POST', path: path`/api/webhooks/${id}/deliveries/${deliveryId}/resend`, options });
  }
}
