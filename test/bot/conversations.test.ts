import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { ConversationStore, conversationKey } from '../../src/bot/conversations';
import { RecordingStorage } from '../support/recordingStorage';
import { NOW, PEOPLE, TENANT, teamsActivity } from '../support/teamsFixtures';

function clientInfo(timezone: unknown): Partial<Activity> {
  return { entities: [{ type: 'clientInfo', locale: 'da-DK', timezone }] };
}

describe('bot/conversations', () => {
  let storage: RecordingStorage;
  let store: ConversationStore;

  beforeEach(() => {
    storage = new RecordingStorage();
    store = new ConversationStore(storage, { clock: () => NOW });
  });
  afterEach(async () => {
    sinon.restore();
    await storage.close();
  });

  it('saves the reference of a 1:1 chat under convref/<aadObjectId>, with the time zone from clientInfo', async () => {
    await store.remember(teamsActivity('nestor', { type: 'installationUpdate', action: 'add', ...clientInfo('Europe/Copenhagen') }) as Activity);
    const saved = await store.get(PEOPLE.nestor.id);
    assert.equal(saved?.timeZone, 'Europe/Copenhagen');
    assert.equal(saved?.reference.conversation?.id, 'a:personal-nestor');
    assert.equal(saved?.reference.serviceUrl, 'http://127.0.0.1:9/_connector');
    assert.equal(saved?.reference.user?.aadObjectId, PEOPLE.nestor.id);
    assert.equal(saved?.reference.activityId, undefined, 'the per-message id is not kept');
    assert.equal(storage.writesTo(conversationKey(PEOPLE.nestor.id)), 1);
  });

  it('does not write again when nothing changed', async () => {
    await store.remember(teamsActivity('nestor', { id: 'm1', text: 'hi', ...clientInfo('Europe/Copenhagen') }) as Activity);
    await store.remember(teamsActivity('nestor', { id: 'm2', text: 'status', ...clientInfo('Europe/Copenhagen') }) as Activity);
    await store.remember(teamsActivity('nestor', { id: 'm3', type: 'invoke', name: 'adaptiveCard/action' }) as Activity);
    assert.equal(storage.writesTo('convref/'), 1);
  });

  it('keeps the known time zone when an activity carries none, and takes a new one when it changes', async () => {
    await store.remember(teamsActivity('nestor', clientInfo('Europe/Copenhagen')) as Activity);
    await store.remember(teamsActivity('nestor') as Activity);
    assert.equal((await store.get(PEOPLE.nestor.id))?.timeZone, 'Europe/Copenhagen');
    await store.remember(teamsActivity('nestor', clientInfo('America/New_York')) as Activity);
    assert.equal((await store.get(PEOPLE.nestor.id))?.timeZone, 'America/New_York');
  });

  for (const bad of ['Mars/Olympus_Mons', 42, '', 'x'.repeat(200)]) {
    it(`ignores a time zone that is not one (${String(bad).slice(0, 20)})`, async () => {
      await store.remember(teamsActivity('nestor', clientInfo(bad)) as Activity);
      assert.equal((await store.get(PEOPLE.nestor.id))?.timeZone, undefined);
    });
  }

  it('saves nothing for group chats, channels, the bot itself, or a sender without an Entra id', async () => {
    const groupChat = teamsActivity('nestor', { conversation: { id: '19:group', conversationType: 'groupChat', isGroup: true, name: '' } });
    const channel = teamsActivity('nestor', { conversation: { id: '19:chan', conversationType: 'channel', isGroup: true, name: '' } });
    const fromBot = teamsActivity('nestor', { from: { id: '28:tap-bot', name: 'bot', role: 'bot', aadObjectId: PEOPLE.nestor.id } });
    const noAad = teamsActivity('nestor', { from: { id: '29:x', name: 'x' } });
    for (const a of [groupChat, channel, fromBot, noAad]) assert.equal(await store.remember(a as Activity), undefined);
    assert.equal(storage.writes.length, 0);
  });

  it('puts the checked tenant into the saved conversation, so proactive turns pass the tenant guard', async () => {
    await store.remember(teamsActivity('nestor', { conversation: { id: 'a:personal-nestor', conversationType: 'personal', isGroup: false, name: '' } }) as Activity);
    assert.equal((await store.get(PEOPLE.nestor.id))?.reference.conversation?.tenantId, TENANT);
  });

  it('welcomes once per conversation, and again after an uninstall', async () => {
    await store.remember(teamsActivity('nestor') as Activity);
    assert.equal(await store.markWelcomed(PEOPLE.nestor.id, 'a:personal-nestor'), true);
    assert.equal(await store.markWelcomed(PEOPLE.nestor.id, 'a:personal-nestor'), false);
    await store.forgetWelcome(PEOPLE.nestor.id);
    assert.equal(await store.markWelcomed(PEOPLE.nestor.id, 'a:personal-nestor'), true);
  });
});
