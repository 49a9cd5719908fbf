import { writePlantedTelegramExport, writePlantedWhatsAppExport } from './test/fixtures/planted-export.ts';
import { mkdtemp } from 'node:fs/promises';
const plants=[{"written":"insta: exsynth_0000","secret":"exsynth_0000"},{"written":"insta: exsynth_0000","secret":"exsynth_0000"},{"written":"0612340000","secret":"12340000"},{"written":"https://www.instagram.com/exsynth_0000/","secret":"exsynth_0000"},{"written":"insta: exsynth_0000","secret":"exsynth_0000"},{"written":"0612340000","secret":"12340000"}];
const root = '/tmp/pv7'; 
console.log(await writePlantedTelegramExport(root, plants), await writePlantedWhatsAppExport(root, plants));
